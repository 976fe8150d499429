// CudaBackend: sums along an axis (own kernels), GEMM (cuBLAS, with its bias epilogue as our kernel) and
// softmax (cuDNN).
#include <vector>

#include "framework/cuda/cuda_backend.h"
#include "framework/cuda/kernels/reduce.cuh"
#include "framework/cuda/launch.h"

namespace kasf::KASF_CUDA_NS {

namespace {

// Rows one thread (or warp) adds up per pass; longer axes take several passes over partial sums.
constexpr int64_t kSumChunk = 1024;

}  // namespace

void CudaBackend::sum_axis(const float* x, float* y, int64_t outer, int64_t reduce, int64_t inner) {
  if (outer * inner == 0) return;
  if (reduce == 0) {
    fill(y, outer * inner, 0.0f);
    return;
  }
  // Each pass leaves (outer, chunks, inner) partial sums in a scratch block; the last writes y.
  const float* source = x;
  std::vector<CachedBlock> partials;
  while (true) {
    const int64_t chunks = (reduce + kSumChunk - 1) / kSumChunk;
    const int64_t chunk = chunks == 1 ? reduce : kSumChunk;
    float* target = y;
    if (chunks > 1) {
      partials.emplace_back(allocator_, static_cast<size_t>(outer * chunks * inner) * sizeof(float));
      target = partials.back().as<float>();
    }
    if (inner == 1 && chunk >= kWarpSize)
      KASF_RUN_KERNEL(sum_rows_kernel, blocks_for_warps(outer * chunks), "sum_axis", source, target, outer, reduce,
                      chunk, chunks);
    else
      KASF_RUN_KERNEL(sum_columns_kernel, blocks_for_threads(outer * chunks * inner), "sum_axis", source, target,
                      outer, reduce, inner, chunk, chunks);
    if (chunks == 1) return;
    source = target;
    reduce = chunks;
  }
}

void CudaBackend::gemm(const GemmArgs& g) {
  if (g.batch == 0 || g.m == 0 || g.n == 0) return;
  // The bias as a kernel of our own after the product (so the emulator runs it too); cuBLASLt's
  // bias epilogue would fold it into the product on a GPU.
  GemmArgs product = g;
  product.bias = nullptr;
  runtime_.gemm(product);
  if (g.bias) {
    const int64_t count = g.batch * g.m * g.n;
    KASF_RUN_KERNEL(add_row_bias_kernel, blocks_for_threads(count), "gemm bias", g.c, g.bias, g.m, g.n, g.ldc,
                    g.stride_c, count);
  }
}

void CudaBackend::softmax(const float* x, float* y, int64_t rows, int64_t cols) {
  if (rows * cols == 0) return;
  runtime_.softmax(x, y, rows, cols);
}

void CudaBackend::softmax_backward(const float* y, const float* gy, float* gx, int64_t rows, int64_t cols) {
  if (rows * cols == 0) return;
  runtime_.softmax_backward(y, gy, gx, rows, cols);
}

}  // namespace kasf::KASF_CUDA_NS
