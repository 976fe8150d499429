// The GEMM's epilogue (GemmArgs::bias and ::activated), and sums along an axis, in chunks: y[o, c, i] = sum of
// x[o, r, i] over the rows r of chunk c, where x is (outer, reduce, inner) and chunk c covers rows
// [c * chunk, min((c + 1) * chunk, reduce)). The host repeats the pass on the partial sums until one
// chunk is left, so every thread adds at most `chunk` values and the order of additions does not
// depend on the launch shape.
#pragma once
#include "framework/cuda/kernels/indexing.cuh"
#include "framework/unary_ops.h"

namespace kasf::KASF_CUDA_NS {

// The epilogue of GemmArgs for the batch x m x n elements of C (rows ldc apart, products stride_c
// apart), each element at once: c += bias[j], then c *= activation'(derivative_at) (and activated =
// activation(derivative_at), when set) or activated = activation(c), for those that are set.
__global__ void gemm_epilogue_kernel(float* c, const float* bias, float* activated, const float* derivative_at,
                                     UnaryOp activation, int64_t m, int64_t n, int64_t ldc, int64_t stride_c,
                                     int64_t count) {
  visit_unary(activation, [&](auto tag) {
    constexpr UnaryOp kOp = decltype(tag)::op;
    for (int64_t e = global_thread(); e < count; e += grid_threads()) {
      const int64_t j = e % n, i = e / n % m, b = e / (n * m);
      const int64_t at = b * stride_c + i * ldc + j;
      float value = c[at];
      if (bias) value += bias[j];
      // The derivative reads only x (check_epilogue); C is written before `activated`, which may be C.
      const ValueAndSlope forward = derivative_at ? unary_value_and_slope<kOp>(0.0f, derivative_at[at])
                                                  : ValueAndSlope{0.0f, 1.0f};
      value *= forward.slope;
      if (bias || derivative_at) c[at] = value;
      if (activated) activated[at] = derivative_at ? forward.value : unary_value<kOp>(0.0f, value);
    }
  });
}

// inner == 1 and rows of a warp or more: one warp per output, its lanes striding along the row.
__global__ void sum_rows_kernel(const float* x, float* y, int64_t outer, int64_t reduce, int64_t chunk,
                                int64_t chunks) {
  for (int64_t out = global_warp(); out < outer * chunks; out += grid_warps()) {
    const int64_t o = out / chunks, begin = (out % chunks) * chunk;
    const int64_t end = begin + chunk < reduce ? begin + chunk : reduce;
    const float* row = x + o * reduce;
    float partial = 0.0f;
    for (int64_t r = begin + lane(); r < end; r += warpSize) partial += row[r];
    const float total = warp_sum(partial);
    if (lane() == 0) y[out] = total;
  }
}

// Otherwise one thread per output; neighbouring threads read neighbouring columns (coalesced), and
// short rows do not leave most of a warp idle.
__global__ void sum_columns_kernel(const float* x, float* y, int64_t outer, int64_t reduce, int64_t inner,
                                   int64_t chunk, int64_t chunks) {
  for (int64_t out = global_thread(); out < outer * chunks * inner; out += grid_threads()) {
    const int64_t i = out % inner, c = out / inner % chunks, o = out / (inner * chunks);
    const int64_t begin = c * chunk;
    const int64_t end = begin + chunk < reduce ? begin + chunk : reduce;
    const float* column = x + o * reduce * inner + i;
    float total = 0.0f;
    for (int64_t r = begin; r < end; ++r) total += column[r * inner];
    y[out] = total;
  }
}

}  // namespace kasf::KASF_CUDA_NS
