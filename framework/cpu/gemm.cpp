// Batched row-major GEMM on OpenBLAS, or on oneDNN in bf16 (framework/matmul_precision.h).
//
// OpenBLAS's own small-matrix kernels make one cblas call per tiny product (attention's 17 x 16 x 17)
// cost about 100 ns, faster than a hand-written loop kernel here (see docs/benchmarks.md), so every
// product goes through cblas_sgemm, single-threaded. What this file decides is how the work is cut
// for the thread pool: a batch of products product by product, a large product into tiles of rows
// (or columns) of C, so that a thread the OS has descheduled leaves its tiles to the others.
#include <cblas.h>

#include <algorithm>
#include <vector>

#include "framework/cpu/cpu_backend.h"
#include "framework/cpu/onednn_gemm.h"
#include "framework/matmul_precision.h"

namespace kasf {

namespace {

// A tile smaller than this many multiply-adds is not worth a chunk of its own, and a tile keeps at
// least kMinTileExtent rows or columns of C, so OpenBLAS's packing stays a small share of its work.
constexpr int64_t kMinTileFlops = 1 << 18;
constexpr int64_t kMinTileExtent = 16;
// With an epilogue, a tile of C holds at most this many floats (256 KB), so the epilogue reads it, and
// the buffers laid out as C, from the cache the product just wrote it to.
constexpr int64_t kMaxEpilogueTile = 1 << 16;
// Multiply-adds that cost about as much as one element of an elementwise loop (the pool's unit).
constexpr int64_t kFlopsPerElement = 32;
// bf16 GEMMs (MatmulPrecision::bf16) for products of at least this depth and size; below, rounding
// the operands and oneDNN's call cost more than they save (attention's per-head products stay fp32).
constexpr int64_t kMinBf16Depth = 32;
constexpr int64_t kMinBf16Flops = 1 << 20;
// fp32 products of this size go to oneDNN, whose kernels do not pack A (the rows of C's tile) as
// OpenBLAS does: 1.4-2.8x faster on the linear layers' thin products (depth = model width). Small
// ones stay with OpenBLAS's small-matrix kernels, which cost far less per call.
constexpr int64_t kMinOnednnFlops = 1 << 20;

// Rows [begin, end) of C (`rows`) or its columns, as a product of its own.
GemmArgs tile(GemmArgs g, bool rows, int64_t begin, int64_t end) {
  if (rows) {
    g.a += g.trans_a ? begin : begin * g.lda;  // op(A)'s rows are A's columns when transposed
    g.c += begin * g.ldc;
    if (g.activated) g.activated += begin * g.ldc;
    if (g.derivative_at) g.derivative_at += begin * g.ldc;
    g.m = end - begin;
  } else {
    g.b += g.trans_b ? begin * g.ldb : begin;
    g.c += begin;
    if (g.bias) g.bias += begin;
    if (g.activated) g.activated += begin;
    if (g.derivative_at) g.derivative_at += begin;
    g.n = end - begin;
  }
  return g;
}

// The epilogue, right after the tile's product wrote its rows of C: += bias, then the derivative's
// factor (with the activation recomputed from the same evaluation) or the activation.
void run_epilogue(const GemmArgs& t) {
  for (int64_t i = 0; i < t.m; ++i) {
    float* row = t.c + i * t.ldc;
    if (t.bias) {
#pragma omp simd
      for (int64_t j = 0; j < t.n; ++j) row[j] += t.bias[j];
    }
    if (t.derivative_at) {
      const float* at = t.derivative_at + i * t.ldc;
      if (t.activated)
        cpu::map_unary_and_backward(t.activation, at, t.activated + i * t.ldc, row, t.n);
      else
        cpu::map_unary_backward(t.activation, 0.0f, at, at, row, row, t.n);  // `at` as y: not read (check_epilogue)
    } else if (t.activated) {
      cpu::map_unary(t.activation, 0.0f, row, t.activated + i * t.ldc, t.n);
    }
  }
}

// Splits the products into tiles for the pool and runs `product` (and the epilogue) on each.
template <class Product>
void for_each_tile(const GemmArgs& g, const Product& product) {
  const int64_t flops = g.m * g.n * std::max<int64_t>(g.k, 1);
  // Tiles per product: only when the batch alone gives the pool too few chunks.
  const bool by_rows = g.m >= g.n;
  const int64_t extent = by_rows ? g.m : g.n;
  const int64_t products = g.outer_batch * g.batch;
  const bool epilogue = g.bias || g.activated || g.derivative_at;
  const int64_t wanted = std::max((4 * cpu::thread_count() + products - 1) / products,
                                  epilogue ? (g.m * g.n + kMaxEpilogueTile - 1) / kMaxEpilogueTile : 1);
  const int64_t tiles = std::max<int64_t>(1, std::min({wanted, flops / kMinTileFlops, extent / kMinTileExtent}));
  cpu::parallel_for_each(products * tiles, flops / tiles / kFlopsPerElement + 1, [&](int64_t task) {
    const int64_t i = task / tiles, t = task % tiles;
    const GemmArgs one = gemm_product(g, i / g.batch, i % g.batch);
    const GemmArgs part = tiles == 1 ? one : tile(one, by_rows, extent * t / tiles, extent * (t + 1) / tiles);
    product(part);
    if (epilogue) run_epilogue(part);
  });
}

// An operand of `batch` products (stride 0: one shared) of `rows` runs of `cols` floats, `ld` apart,
// rounded to bf16 into `scratch` at the same offsets.
const uint16_t* rounded(const float* x, int64_t rows, int64_t cols, int64_t ld, int64_t stride, int64_t batch,
                        std::vector<uint16_t>& scratch) {
  const int64_t products = stride == 0 ? 1 : batch;
  // Grown only: a vector resized down and up again value-initialises the regrown part, a zero fill
  // of the operand that every GEMM larger than the one before paid.
  const auto size = static_cast<size_t>((products - 1) * stride + (rows - 1) * ld + cols);
  if (scratch.size() < size) scratch.resize(size);
  for (int64_t i = 0; i < products; ++i) cpu::round_to_bf16(x + i * stride, scratch.data() + i * stride, rows, cols, ld);
  return scratch.data();
}

// One product of g (its batch and epilogue ignored) on the calling thread, by OpenBLAS.
void blas_product(const GemmArgs& g) {
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

}  // namespace

void CpuBackend::gemm(const GemmArgs& args) {
  check_epilogue(args);
  if (args.batch == 0 || args.outer_batch == 0 || args.m == 0 || args.n == 0) return;
  GemmArgs g = args;
  // A shared B with A and C stacked row after row is one tall GEMM (linear layers, x @ W).
  if (g.outer_batch == 1 && g.batch > 1 && g.stride_b == 0 && !g.trans_a && g.stride_a == g.m * g.lda &&
      g.stride_c == g.m * g.ldc) {
    g.m *= g.batch;
    g.batch = 1;
  }
  if (matmul_precision() == MatmulPrecision::bf16 && g.k >= kMinBf16Depth && g.m * g.n * g.k >= kMinBf16Flops) {
    if (g.outer_batch > 1) {  // the operands are rounded group by group
      for (int64_t o = 0; o < g.outer_batch; ++o) {
        GemmArgs group = gemm_product(g, o, 0);
        group.outer_batch = 1;
        gemm(group);
      }
      return;
    }
    // Each operand rounded once (in the same layout), then the tiles multiply the rounded copies.
    thread_local std::vector<uint16_t> a16, b16;
    const uint16_t* a = rounded(g.a, g.trans_a ? g.k : g.m, g.trans_a ? g.m : g.k, g.lda, g.stride_a, g.batch, a16);
    const uint16_t* b = rounded(g.b, g.trans_b ? g.n : g.k, g.trans_b ? g.k : g.n, g.ldb, g.stride_b, g.batch, b16);
    for_each_tile(g, [&](const GemmArgs& t) { cpu::onednn_product_bf16(t, a + (t.a - g.a), b + (t.b - g.b)); });
  } else if (g.m * g.n * g.k >= kMinOnednnFlops) {
    for_each_tile(g, cpu::onednn_product);
  } else {
    for_each_tile(g, blas_product);
  }
}

}  // namespace kasf
