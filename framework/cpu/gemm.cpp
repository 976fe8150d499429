// Batched row-major GEMM on OpenBLAS.
//
// OpenBLAS's own small-matrix kernels make one cblas call per tiny product (attention's 17 x 16 x 17)
// cost about 100 ns, faster than a hand-written loop kernel here (see docs/benchmarks.md), so every
// product goes through cblas_sgemm; what this file decides is who runs the threads.
#include <cblas.h>

#include "framework/cpu/cpu_backend.h"

namespace kasf {

namespace {

// Below this many multiply-adds per product, a batch is spread over threads product by product;
// above, with few products, OpenBLAS threads each product itself.
constexpr int64_t kThreadedProductFlops = 64 * 64 * 64;

struct GemmArgs {
  bool trans_a, trans_b;
  int64_t m, n, k;
  float alpha;
  const float* a;
  int64_t lda;
  const float* b;
  int64_t ldb;
  float beta;
  float* c;
  int64_t ldc;
};

void blas(const GemmArgs& g, int64_t i, int64_t stride_a, int64_t stride_b, int64_t stride_c) {
  cblas_sgemm(CblasRowMajor, g.trans_a ? CblasTrans : CblasNoTrans, g.trans_b ? CblasTrans : CblasNoTrans,
              static_cast<int>(g.m), static_cast<int>(g.n), static_cast<int>(g.k), g.alpha, g.a + i * stride_a,
              static_cast<int>(g.lda), g.b + i * stride_b, static_cast<int>(g.ldb), g.beta, g.c + i * stride_c,
              static_cast<int>(g.ldc));
}

}  // namespace

void CpuBackend::gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                      int64_t lda, int64_t stride_a, const float* b, int64_t ldb, int64_t stride_b, float beta,
                      float* c, int64_t ldc, int64_t stride_c, int64_t batch) {
  if (batch == 0 || m == 0 || n == 0) return;
  GemmArgs g{trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc};
  // A shared B with A and C stacked row after row is one tall GEMM (linear layers, x @ W).
  if (batch > 1 && stride_b == 0 && !trans_a && stride_a == m * lda && stride_c == m * ldc) {
    g.m = m * batch;
    batch = 1;
  }
  const int64_t flops = g.m * n * k;
  if (batch == 1 || (flops >= kThreadedProductFlops && batch < 4)) {
    for (int64_t i = 0; i < batch; ++i) blas(g, i, stride_a, stride_b, stride_c);
    return;
  }
  // Many products: one per thread at a time; inside the region OpenBLAS runs single-threaded.
#pragma omp parallel for schedule(static) if (batch * flops >= kParallelGrain)
  for (int64_t i = 0; i < batch; ++i) blas(g, i, stride_a, stride_b, stride_c);
}

}  // namespace kasf
