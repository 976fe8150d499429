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
    if (g.bias) g.bias += begin;
    g.n = end - begin;
  }
  return g;
}

// The epilogue: C's rows += bias, right after the tile's product wrote them.
void add_bias(const GemmArgs& t) {
  for (int64_t i = 0; i < t.m; ++i) {
    float* row = t.c + i * t.ldc;
#pragma omp simd
    for (int64_t j = 0; j < t.n; ++j) row[j] += t.bias[j];
  }
}

// Splits the products into tiles for the pool and runs `product` (and the bias epilogue) on each.
template <class Product>
void for_each_tile(const GemmArgs& g, const Product& product) {
  const int64_t flops = g.m * g.n * std::max<int64_t>(g.k, 1);
  // Tiles per product: only when the batch alone gives the pool too few chunks.
  const bool by_rows = g.m >= g.n;
  const int64_t extent = by_rows ? g.m : g.n;
  const int64_t wanted = (4 * cpu::thread_count() + g.batch - 1) / g.batch;
  const int64_t tiles = std::max<int64_t>(1, std::min({wanted, flops / kMinTileFlops, extent / kMinTileExtent}));
  cpu::parallel_for_each(g.batch * tiles, flops / tiles / kFlopsPerElement + 1, [&](int64_t task) {
    const int64_t i = task / tiles, t = task % tiles;
    GemmArgs one = g;
    one.a += i * g.stride_a;
    one.b += i * g.stride_b;
    one.c += i * g.stride_c;
    const GemmArgs part = tiles == 1 ? one : tile(one, by_rows, extent * t / tiles, extent * (t + 1) / tiles);
    product(part);
    if (part.bias) add_bias(part);
  });
}

// An operand of `batch` products (stride 0: one shared) of `rows` runs of `cols` floats, `ld` apart,
// rounded to bf16 into `scratch` at the same offsets.
const uint16_t* rounded(const float* x, int64_t rows, int64_t cols, int64_t ld, int64_t stride, int64_t batch,
                        std::vector<uint16_t>& scratch) {
  const int64_t products = stride == 0 ? 1 : batch;
  scratch.resize(static_cast<size_t>((products - 1) * stride + (rows - 1) * ld + cols));
  for (int64_t i = 0; i < products; ++i) cpu::round_to_bf16(x + i * stride, scratch.data() + i * stride, rows, cols, ld);
  return scratch.data();
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
  if (matmul_precision() == MatmulPrecision::bf16 && g.k >= kMinBf16Depth && g.m * g.n * g.k >= kMinBf16Flops) {
    // Each operand rounded once (in the same layout), then the tiles multiply the rounded copies.
    thread_local std::vector<uint16_t> a16, b16;
    const uint16_t* a = rounded(g.a, g.trans_a ? g.k : g.m, g.trans_a ? g.m : g.k, g.lda, g.stride_a, g.batch, a16);
    const uint16_t* b = rounded(g.b, g.trans_b ? g.n : g.k, g.trans_b ? g.k : g.n, g.ldb, g.stride_b, g.batch, b16);
    for_each_tile(g, [&](const GemmArgs& t) { cpu::onednn_product_bf16(t, a + (t.a - g.a), b + (t.b - g.b)); });
  } else if (g.m * g.n * g.k >= kMinOnednnFlops) {
    for_each_tile(g, cpu::onednn_product);
  } else {
    for_each_tile(g, blas);
  }
}

}  // namespace kasf
