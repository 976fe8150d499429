// Batched row-major GEMM on OpenBLAS.
//
// OpenBLAS's own small-matrix kernels make one cblas call per tiny product (attention's 17 x 16 x 17)
// cost about 100 ns, faster than a hand-written loop kernel here (see docs/benchmarks.md), so every
// product goes through cblas_sgemm, single-threaded. What this file decides is how the work is cut
// for the thread pool: a batch of products product by product, a large product into tiles of rows
// (or columns) of C, so that a thread the OS has descheduled leaves its tiles to the others.
#include <cblas.h>

#include <algorithm>

#include "framework/cpu/cpu_backend.h"

namespace kasf {

namespace {

// A tile smaller than this many multiply-adds is not worth a chunk of its own, and a tile keeps at
// least kMinTileExtent rows or columns of C, so OpenBLAS's packing stays a small share of its work.
constexpr int64_t kMinTileFlops = 1 << 18;
constexpr int64_t kMinTileExtent = 16;
// Multiply-adds that cost about as much as one element of an elementwise loop (the pool's unit).
constexpr int64_t kFlopsPerElement = 32;

void blas(const GemmArgs& g) {
  // OpenBLAS's OpenMP build threads a product by the calling thread's own OpenMP setting, which a
  // pool worker inherits from OMP_NUM_THREADS: each thread asks for one thread once, or every tile
  // would start an OpenMP team of its own.
  thread_local const bool single_threaded = [] {
    openblas_set_num_threads(1);
    return true;
  }();
  (void)single_threaded;
  cblas_sgemm(CblasRowMajor, g.trans_a ? CblasTrans : CblasNoTrans, g.trans_b ? CblasTrans : CblasNoTrans,
              static_cast<int>(g.m), static_cast<int>(g.n), static_cast<int>(g.k), g.alpha, g.a, static_cast<int>(g.lda),
              g.b, static_cast<int>(g.ldb), g.beta, g.c, static_cast<int>(g.ldc));
}

// Rows [begin, end) of C (`rows`) or its columns, as a product of its own.
GemmArgs tile(GemmArgs g, bool rows, int64_t begin, int64_t end) {
  if (rows) {
    g.a += g.trans_a ? begin : begin * g.lda;  // op(A)'s rows are A's columns when transposed
    g.c += begin * g.ldc;
    g.m = end - begin;
  } else {
    g.b += g.trans_b ? begin * g.ldb : begin;
    g.c += begin;
    g.n = end - begin;
  }
  return g;
}

}  // namespace

void CpuBackend::gemm(const GemmArgs& args) {
  if (args.batch == 0 || args.m == 0 || args.n == 0) return;
  GemmArgs g = args;
  // A shared B with A and C stacked row after row is one tall GEMM (linear layers, x @ W).
  if (g.batch > 1 && g.stride_b == 0 && !g.trans_a && g.stride_a == g.m * g.lda && g.stride_c == g.m * g.ldc) {
    g.m *= g.batch;
    g.batch = 1;
  }
  const int64_t flops = g.m * g.n * std::max<int64_t>(g.k, 1);
  // Tiles per product: only when the batch alone gives the pool too few chunks.
  const bool by_rows = g.m >= g.n;
  const int64_t extent = by_rows ? g.m : g.n;
  const int64_t wanted = (4 * cpu::thread_count() + g.batch - 1) / g.batch;
  const int64_t tiles = std::max<int64_t>(1, std::min({wanted, flops / kMinTileFlops, extent / kMinTileExtent}));
  cpu::parallel_for_each(g.batch * tiles, flops / tiles / kFlopsPerElement + 1, [&](int64_t task) {
    const int64_t i = task / tiles, t = task % tiles;
    GemmArgs product = g;
    product.a += i * g.stride_a;
    product.b += i * g.stride_b;
    product.c += i * g.stride_c;
    blas(tiles == 1 ? product : tile(product, by_rows, extent * t / tiles, extent * (t + 1) / tiles));
  });
}

}  // namespace kasf
