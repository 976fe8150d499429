// CudaBackend: sums along an axis (own kernels), GEMM (cuBLAS, with its epilogue as our kernel),
// softmax (cuDNN) and attention, forward and backward, composed of those.
#include <optional>
#include <utility>
#include <vector>

#include "framework/cuda/cuda_backend.h"
#include "framework/cuda/kernels/reduce.cuh"
#include "framework/cuda/launch.h"

namespace kasf::KASF_CUDA_NS {

namespace {

// Rows one thread (or warp) adds up per pass; longer axes take several passes over partial sums.
constexpr int64_t kSumChunk = 1024;

// C = alpha op(A) op(B) for every head and group of attention's products, as strided GEMMs: one
// GEMM with the heads as its inner level where each operand's groups form a single level (spatial
// attention: the samples' frames), else one per head with the groups' two levels.
void attention_gemm(Backend& be, const AttentionGroups& g, bool trans_a, bool trans_b, int64_t m, int64_t n,
                    int64_t k, float alpha, const float* a, const AttentionStrides& as, const float* b,
                    const AttentionStrides& bs, float* c, const AttentionStrides& cs) {
  const auto one_level = [&g](const AttentionStrides& s) { return g.outer == 1 || s.outer == g.inner * s.inner; };
  const GemmArgs product{.trans_a = trans_a, .trans_b = trans_b, .m = m, .n = n, .k = k, .alpha = alpha, .a = a,
                         .lda = as.ld, .b = b, .ldb = bs.ld, .c = c, .ldc = cs.ld};
  if (one_level(as) && one_level(bs) && one_level(cs)) {
    GemmArgs all = product;
    all.stride_a = as.head, all.stride_b = bs.head, all.stride_c = cs.head, all.batch = g.heads;
    all.outer_batch = g.inner * g.outer;
    all.outer_stride_a = as.inner, all.outer_stride_b = bs.inner, all.outer_stride_c = cs.inner;
    be.gemm(all);
    return;
  }
  for (int64_t h = 0; h < g.heads; ++h) {
    GemmArgs head = product;
    head.a += h * as.head, head.b += h * bs.head, head.c += h * cs.head;
    head.stride_a = as.inner, head.stride_b = bs.inner, head.stride_c = cs.inner, head.batch = g.inner;
    head.outer_batch = g.outer;
    head.outer_stride_a = as.outer, head.outer_stride_b = bs.outer, head.outer_stride_c = cs.outer;
    be.gemm(head);
  }
}

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
  check_epilogue(g);
  if (g.batch == 0 || g.outer_batch == 0 || g.m == 0 || g.n == 0) return;
  if (g.outer_batch > 1) {
    // cuBLAS batches along one stride: one strided-batched call per group of the smaller level (the
    // products are independent, so the levels may swap). cublasGemmBatchedEx with pointer arrays
    // would make it one launch.
    GemmArgs levels = g;
    if (g.outer_batch > g.batch) {
      std::swap(levels.batch, levels.outer_batch);
      std::swap(levels.stride_a, levels.outer_stride_a);
      std::swap(levels.stride_b, levels.outer_stride_b);
      std::swap(levels.stride_c, levels.outer_stride_c);
    }
    for (int64_t o = 0; o < levels.outer_batch; ++o) {
      GemmArgs group = gemm_product(levels, o, 0);
      group.outer_batch = 1;
      gemm(group);
    }
    return;
  }
  // The bias and the activation as a kernel of our own after the product (so the emulator runs it
  // too); cuBLASLt's bias epilogue would fold the bias into the product on a GPU (its GELU epilogue
  // is the tanh approximation, not the exact GELU of the models).
  GemmArgs product = g;
  product.bias = nullptr;
  product.activated = nullptr;
  product.derivative_at = nullptr;
  runtime_.gemm(product);
  if (g.bias || g.activated || g.derivative_at) {
    const int64_t count = g.batch * g.m * g.n;
    KASF_RUN_KERNEL(gemm_epilogue_kernel, blocks_for_threads(count), "gemm epilogue", g.c, g.bias, g.activated,
                    g.derivative_at, g.activation, g.m, g.n, g.ldc, g.stride_c, count);
  }
}

void CudaBackend::attention(const AttentionArgs& a) {
  const AttentionGroups& g = a.groups;
  const int64_t products = g.heads * g.inner * g.outer;
  if (products == 0 || a.n == 0) return;
  // Composed of the backend's own steps: the scores' GEMMs, cuDNN's softmax, the weighted sum's
  // GEMMs (a fused kernel would keep each product's scores on chip, as the CPU backend does in cache).
  const AttentionStrides blocks = attention_blocks(g, a.n, a.n);
  const size_t bytes = static_cast<size_t>(products * a.n * a.n) * sizeof(float);
  CachedBlock scores(allocator_, bytes);
  std::optional<CachedBlock> unsaved;  // the weights, when no backward keeps them
  float* p = a.p;
  if (!p) p = unsaved.emplace(allocator_, bytes).as<float>();
  attention_gemm(*this, g, false, true, a.n, a.n, a.c, a.scale, a.q, a.q_at, a.k, a.k_at, scores.as<float>(), blocks);
  softmax(scores.as<float>(), p, products * a.n, a.n);
  attention_gemm(*this, g, false, false, a.n, a.c, a.n, 1.0f, p, blocks, a.v, a.v_at, a.out, a.out_at);
}

void CudaBackend::attention_backward(const AttentionArgs& a, const float* g_out, float* g_q, float* g_k,
                                     float* g_v) {
  const AttentionGroups& g = a.groups;
  const int64_t products = g.heads * g.inner * g.outer;
  if (products == 0 || a.n == 0) return;
  // gV = P^T gO, gP = gO V^T, gS = softmax'(gP), gQ = scale gS K, gK = scale gS^T Q.
  const AttentionStrides blocks = attention_blocks(g, a.n, a.n);
  const size_t bytes = static_cast<size_t>(products * a.n * a.n) * sizeof(float);
  attention_gemm(*this, g, true, false, a.n, a.c, a.n, 1.0f, a.p, blocks, g_out, a.out_at, g_v, a.v_at);
  CachedBlock g_scores(allocator_, bytes);
  {
    CachedBlock g_p(allocator_, bytes);
    attention_gemm(*this, g, false, true, a.n, a.n, a.c, 1.0f, g_out, a.out_at, a.v, a.v_at, g_p.as<float>(), blocks);
    softmax_backward(a.p, g_p.as<float>(), g_scores.as<float>(), products * a.n, a.n);
  }
  attention_gemm(*this, g, false, false, a.n, a.c, a.n, a.scale, g_scores.as<float>(), blocks, a.k, a.k_at, g_q,
                 a.q_at);
  attention_gemm(*this, g, true, false, a.n, a.c, a.n, a.scale, g_scores.as<float>(), blocks, a.q, a.q_at, g_k,
                 a.k_at);
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
