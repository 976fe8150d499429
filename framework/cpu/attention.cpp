// Attention one product at a time, for sequences longer than cpu::kShortSequence and on CPUs without
// AVX-512 (shorter ones go 16 products at a time where that fits, attention_lanes.cpp): a head's
// scores for one group (up to 243 x 243 for the official models' frames) stay in cache from their
// product through the softmax to the weighted sum, and in the backward the weights' gradient likewise
// from its product through the softmax's backward to the gradients of Q and K. Only the weights a
// backward reads are written out.
//
// The products are this file's own register-blocked loops rather than cblas calls: at a head width of
// 8 or 16 a product is a few thousand multiply-adds, and OpenBLAS spent more on each call (its buffer
// locks, packing and beta pass) than on the arithmetic (docs/benchmarks.md). Every product is one
// kernel, C = alpha X Y, reading Y's rows a vector register at a time: K and V are transposed for the
// products with K^T and V^T (n c floats, cheap beside the n n c multiply-adds); P and gS, whose
// transposes are left operands, are read in place.
#include <algorithm>
#include <cstring>
#include <vector>

#include "framework/cpu/cpu_backend.h"

namespace kasf {

namespace {

// C's columns are computed in blocks of 16 floats (one AVX-512 register) and a last block of 8 where
// at most 8 are left, so a head of 8 channels or a row of 17 scores wastes little on padding.
constexpr int64_t kBlock = 8;

int64_t padded(int64_t n) { return (n + kBlock - 1) / kBlock * kBlock; }

// A product's right operand: rows `ld` apart, each read in whole blocks of kBlock floats.
struct RightOperand {
  const float* y;
  int64_t ld;
};

// src's rows as a right operand: in place when each row is whole blocks, else copied into `scratch`
// (rows x padded(cols)) with zeros after each row.
RightOperand rows_of(const float* src, int64_t ld, int64_t rows, int64_t cols, float* scratch) {
  if (cols % kBlock == 0) return {src, ld};
  const int64_t width = padded(cols);
  for (int64_t r = 0; r < rows; ++r) {
    std::copy_n(src + r * ld, cols, scratch + r * width);
    std::fill(scratch + r * width + cols, scratch + (r + 1) * width, 0.0f);
  }
  return {scratch, width};
}

// src^T (src: rows x cols, rows ld apart) as a right operand of cols rows, in `scratch`
// (cols x padded(rows), zero-padded).
RightOperand transpose_of(const float* src, int64_t ld, int64_t rows, int64_t cols, float* scratch) {
  const int64_t width = padded(rows);
  for (int64_t k = 0; k < cols; ++k) {
    float* out = scratch + k * width;
    for (int64_t r = 0; r < rows; ++r) out[r] = src[r * ld + k];
    std::fill(out + rows, out + width, 0.0f);
  }
  return {scratch, width};
}

// A left operand: element (r, k) at x[r * row + k * col], so a transposed one needs no copy (its
// elements are read one at a time and broadcast).
struct LeftOperand {
  const float* x;
  int64_t row, col;
};

LeftOperand plain(const float* x, int64_t ld) { return {x, ld, 1}; }
LeftOperand transposed(const float* x, int64_t ld) { return {x, 1, ld}; }

// L floats as one value (GCC's vector extension), so that the accumulators stay in registers.
// (The attribute is lost on an alias template, hence the struct.)
template <int L>
struct VectorOf {
  typedef float type __attribute__((vector_size(L * sizeof(float))));
};
template <int L>
using Lanes = typename VectorOf<L>::type;

// Rows [0, R) of C's columns [cb, cb + L) (C: ldc, `cols` columns) = alpha X Y over `depth`: R
// independent FMA chains, each of Y's rows loaded once for all R.
template <int R, int L>
[[gnu::always_inline]] inline void product_block(LeftOperand x, int64_t depth, RightOperand y, int64_t cols,
                                                 int64_t cb, float alpha, float* c, int64_t ldc) {
  Lanes<L> acc[R] = {};
  for (int64_t k = 0; k < depth; ++k) {
    Lanes<L> y_row;
    std::memcpy(&y_row, y.y + k * y.ld + cb, sizeof y_row);
    for (int r = 0; r < R; ++r) acc[r] += x.x[r * x.row + k * x.col] * y_row;
  }
  const int64_t count = std::min<int64_t>(L, cols - cb);
  for (int r = 0; r < R; ++r) {
    const Lanes<L> out = alpha * acc[r];
    if (count == L)
      std::memcpy(c + r * ldc + cb, &out, sizeof out);
    else
      for (int64_t l = 0; l < count; ++l) c[r * ldc + cb + l] = out[l];
  }
}

template <int L>
[[gnu::always_inline]] inline void product_columns(LeftOperand x, int64_t m, int64_t depth, RightOperand y,
                                                   int64_t cols, int64_t cb, float alpha, float* c, int64_t ldc) {
  constexpr int kRows = 4;
  int64_t i = 0;
  for (; i + kRows <= m; i += kRows)
    product_block<kRows, L>({x.x + i * x.row, x.row, x.col}, depth, y, cols, cb, alpha, c + i * ldc, ldc);
  for (; i < m; ++i) product_block<1, L>({x.x + i * x.row, x.row, x.col}, depth, y, cols, cb, alpha, c + i * ldc, ldc);
}

// C (m x cols, ldc) = alpha X Y, X being m x depth: four rows of C at a time, one register of columns
// each.
// (x86-64-v4 rather than plain avx512f: the 8-float blocks need AVX-512VL's FMA on ymm registers.)
[[gnu::target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")]] void product(
    LeftOperand x, int64_t m, int64_t depth, RightOperand y, int64_t cols, float alpha, float* c, int64_t ldc) {
  for (int64_t cb = 0; cb < cols; cb += cols - cb > kBlock ? 2 * kBlock : kBlock) {
    if (cols - cb > kBlock)
      product_columns<2 * kBlock>(x, m, depth, y, cols, cb, alpha, c, ldc);
    else
      product_columns<kBlock>(x, m, depth, y, cols, cb, alpha, c, ldc);
  }
}

// Runs product(i, offset_of) for every product i of `a` on the pool, where offset_of(strides) is
// where product i's operand with those strides starts.
template <class Product>
void for_each_product(const AttentionArgs& a, const Product& product) {
  const AttentionGroups& g = a.groups;
  const int64_t products = g.heads * g.inner * g.outer;
  if (products == 0 || a.n == 0) return;
  // Two or more products of 2 n n c flops and n n exponentials, in elements of the pool's unit.
  const int64_t work = 4 * a.n * a.n * a.c / 32 + a.n * a.n;
  cpu::parallel_for_each(products, work, [&](int64_t i) {
    product(i, [&](const AttentionStrides& s) { return cpu::attention_product_offset(g, s, i); });
  });
}

// Whether `a` goes 16 products at a time; its forward and backward must agree, as the two paths keep
// the weights in different layouts.
bool goes_in_lanes(const AttentionArgs& a) { return a.n <= cpu::kShortSequence && cpu::attention_in_lanes_fits(); }

}  // namespace

float* cpu::attention_scratch(int64_t count) {
  thread_local std::vector<float> buffer;
  if (buffer.size() < static_cast<size_t>(count)) buffer.resize(static_cast<size_t>(count));
  return buffer.data();
}

void CpuBackend::attention(const AttentionArgs& a) {
  if (goes_in_lanes(a)) return cpu::attention_in_lanes(a);
  cpu::attention_per_product(a);
}

void CpuBackend::attention_backward(const AttentionArgs& a, const float* g_out, float* g_q, float* g_k, float* g_v) {
  if (goes_in_lanes(a)) return cpu::attention_backward_in_lanes(a, g_out, g_q, g_k, g_v);
  cpu::attention_backward_per_product(a, g_out, g_q, g_k, g_v);
}

void cpu::attention_per_product(const AttentionArgs& a) {
  const int64_t n = a.n, c = a.c;
  for_each_product(a, [&](int64_t i, const auto& at) {
    float* kt = cpu::attention_scratch(c * padded(n) + n * padded(c) + n * n);
    float* v = kt + c * padded(n);
    float* p = a.p ? a.p + i * n * n : v + n * padded(c);  // the weights are kept only for a backward
    product(plain(a.q + at(a.q_at), a.q_at.ld), n, c, transpose_of(a.k + at(a.k_at), a.k_at.ld, n, c, kt), n,
            a.scale, p, n);
    cpu::softmax_serial(p, p, n, n);
    product(plain(p, n), n, n, rows_of(a.v + at(a.v_at), a.v_at.ld, n, c, v), c, 1.0f, a.out + at(a.out_at),
            a.out_at.ld);
  });
}

// With S = scale Q K^T and P = softmax(S): gV = P^T gO, gP = gO V^T, gS = softmax'(gP),
// gQ = scale gS K, gK = scale gS^T Q.
void cpu::attention_backward_per_product(const AttentionArgs& a, const float* g_out, float* g_q, float* g_k,
                                         float* g_v) {
  const int64_t n = a.n, c = a.c;
  for_each_product(a, [&](int64_t i, const auto& at) {
    const float* p = a.p + i * n * n;
    const float* g_o = g_out + at(a.out_at);
    float* g_s = cpu::attention_scratch(n * n + c * padded(n) + n * padded(c));
    float* vt = g_s + n * n;
    float* rows = vt + c * padded(n);  // one n x c operand at a time, when its rows need padding
    product(transposed(p, n), n, n, rows_of(g_o, a.out_at.ld, n, c, rows), c, 1.0f, g_v + at(a.v_at), a.v_at.ld);
    product(plain(g_o, a.out_at.ld), n, c, transpose_of(a.v + at(a.v_at), a.v_at.ld, n, c, vt), n, 1.0f, g_s, n);
    cpu::softmax_backward_serial(p, g_s, g_s, n, n);
    product(plain(g_s, n), n, n, rows_of(a.k + at(a.k_at), a.k_at.ld, n, c, rows), c, a.scale, g_q + at(a.q_at),
            a.q_at.ld);
    product(transposed(g_s, n), n, n, rows_of(a.q + at(a.q_at), a.q_at.ld, n, c, rows), c, a.scale,
            g_k + at(a.k_at), a.k_at.ld);
  });
}

}  // namespace kasf
