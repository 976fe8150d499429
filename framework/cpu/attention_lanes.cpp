// Attention over short sequences (the models' 17 joints and 27 frames), 16 products at a time: each
// product of a block owns one lane of a 16-float vector, so every multiply-add, exponential and sum
// works on 16 products at once. With a head width of 8 and rows of 17 scores, the one-product-at-a-
// time kernels (attention.cpp) spent their vectors on padding (17 scores in 24 lanes), horizontal
// sums and scalar tails (about a sixth of the FMA rate, by the profile of a d = 32 training step);
// here nothing is padded but the last block's missing products. A block's operands are copied into
// lane order first, eight products' eight channels at a time through a register transpose (n c floats
// per product, cheap beside its n n c multiply-adds), and its results copied back the same way.
//
// Only for CPUs with AVX-512 (x86-64-v4; attention_in_lanes_fits): with AVX2 a 16-float vector is two
// registers, the 16 accumulators of a block spill, and these kernels measured 1.35x slower than the
// one-product-at-a-time ones there (docs/benchmarks.md), which such CPUs keep.
//
// Lane layout: element (r, k) of a block's rows x cols operand lies at buf[(r * cols + k) * 16 + lane].
// The attention weights a backward reads are kept in the same layout, block after block, with the
// last block's lanes only as many as its products (so they fill (products, n, n) exactly).
#include <algorithm>
#include <array>
#include <cstring>

#include "framework/cpu/cpu_backend.h"
#include "framework/fast_math.h"

namespace kasf {

namespace {

constexpr int64_t kLanes = cpu::kAttentionLanes;

// 16 floats as one value (GCC's vector extension), so that accumulators stay in registers.
typedef float Vec __attribute__((vector_size(kLanes * sizeof(float))));

[[gnu::always_inline]] inline void load(Vec& v, const float* p) { std::memcpy(&v, p, sizeof v); }

[[gnu::always_inline]] inline void store(float* p, const Vec& v) { std::memcpy(p, &v, sizeof v); }

// The block's products: where each lane's operands start, relative to the operands' bases.
struct Block {
  int64_t count = 0;                                 // products in this block (kLanes but for the last block)
  std::array<int64_t, kLanes> q{}, k{}, v{}, out{};  // 0 (product 0's) for the lanes past `count`
};

Block block_at(const AttentionArgs& a, int64_t block) {
  const AttentionGroups& g = a.groups;
  const int64_t products = g.heads * g.inner * g.outer;
  Block b;
  b.count = std::min(kLanes, products - block * kLanes);
  for (int64_t lane = 0; lane < b.count; ++lane) {
    const int64_t i = block * kLanes + lane;
    const auto at = [&](const AttentionStrides& s) { return cpu::attention_product_offset(g, s, i); };
    b.q[lane] = at(a.q_at);
    b.k[lane] = at(a.k_at);
    b.v[lane] = at(a.v_at);
    b.out[lane] = at(a.out_at);
  }
  return b;
}

// Eight rows of eight floats, transposed in registers (three rounds of two-input shuffles, which GCC
// lowers to unpack, shuffle and lane-permute instructions).
typedef float Vec8 __attribute__((vector_size(8 * sizeof(float))));
typedef int Index8 __attribute__((vector_size(8 * sizeof(int))));

[[gnu::always_inline]] inline void transpose8(Vec8 (&m)[8]) {
  constexpr Index8 kLow1 = {0, 8, 1, 9, 4, 12, 5, 13}, kHigh1 = {2, 10, 3, 11, 6, 14, 7, 15};
  constexpr Index8 kLow2 = {0, 1, 8, 9, 4, 5, 12, 13}, kHigh2 = {2, 3, 10, 11, 6, 7, 14, 15};
  constexpr Index8 kLow4 = {0, 1, 2, 3, 8, 9, 10, 11}, kHigh4 = {4, 5, 6, 7, 12, 13, 14, 15};
  Vec8 t[8], u[8];
  for (int i = 0; i < 8; i += 2) {
    t[i] = __builtin_shuffle(m[i], m[i + 1], kLow1);
    t[i + 1] = __builtin_shuffle(m[i], m[i + 1], kHigh1);
  }
  for (int i = 0; i < 8; i += 4) {
    u[i] = __builtin_shuffle(t[i], t[i + 2], kLow2);
    u[i + 1] = __builtin_shuffle(t[i], t[i + 2], kHigh2);
    u[i + 2] = __builtin_shuffle(t[i + 1], t[i + 3], kLow2);
    u[i + 3] = __builtin_shuffle(t[i + 1], t[i + 3], kHigh2);
  }
  for (int i = 0; i < 4; ++i) {
    m[i] = __builtin_shuffle(u[i], u[i + 4], kLow4);
    m[i + 4] = __builtin_shuffle(u[i], u[i + 4], kHigh4);
  }
}

// The block's rows x cols operands (product `lane`'s at base + offsets[lane], rows ld apart) in lane
// layout, or transposed (cols x rows): eight products' eight columns at a time through transpose8.
// The lanes of missing products read the operands of product 0 (offset 0); their results are never
// written back.
[[gnu::always_inline]] inline void gather(const float* base, const std::array<int64_t, kLanes>& offsets, int64_t ld,
                                          int64_t rows, int64_t cols, bool transposed, float* out) {
  const auto at = [&](int64_t r, int64_t k) { return out + (transposed ? k * rows + r : r * cols + k) * kLanes; };
  const int64_t whole = cols / 8 * 8;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t k0 = 0; k0 < whole; k0 += 8)
      for (int64_t l0 = 0; l0 < kLanes; l0 += 8) {
        Vec8 m[8];
        for (int l = 0; l < 8; ++l) std::memcpy(&m[l], base + offsets[l0 + l] + r * ld + k0, sizeof(Vec8));
        transpose8(m);
        for (int k = 0; k < 8; ++k) std::memcpy(at(r, k0 + k) + l0, &m[k], sizeof(Vec8));
      }
    for (int64_t k = whole; k < cols; ++k)
      for (int64_t lane = 0; lane < kLanes; ++lane) at(r, k)[lane] = base[offsets[lane] + r * ld + k];
  }
}

// The inverse of gather (not transposed): writes each product's rows x cols result.
[[gnu::always_inline]] inline void scatter(const float* in, int64_t count, int64_t rows, int64_t cols, float* base,
                                           const std::array<int64_t, kLanes>& offsets, int64_t ld) {
  const int64_t whole = cols / 8 * 8;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t k0 = 0; k0 < whole; k0 += 8)
      for (int64_t l0 = 0; l0 < count; l0 += 8) {
        Vec8 m[8];
        for (int k = 0; k < 8; ++k) std::memcpy(&m[k], in + (r * cols + k0 + k) * kLanes + l0, sizeof(Vec8));
        transpose8(m);
        for (int64_t l = 0; l < std::min<int64_t>(8, count - l0); ++l)
          std::memcpy(base + offsets[l0 + l] + r * ld + k0, &m[l], sizeof(Vec8));
      }
    for (int64_t k = whole; k < cols; ++k)
      for (int64_t lane = 0; lane < count; ++lane)
        base[offsets[lane] + r * ld + k] = in[(r * cols + k) * kLanes + lane];
  }
}

// The block's weights kept for the backward: whole blocks in place (the forward computes them there),
// the last block's `count` lanes per element, so that the blocks fill (products, n, n) exactly.
void keep_weights(const float* p, int64_t count, int64_t elements, float* kept) {
  for (int64_t e = 0; e < elements; ++e) std::copy_n(p + e * kLanes, count, kept + e * count);
}

// The kept weights of a block in lane layout: in place for a whole block, else padded into `padded`.
const float* kept_weights(const float* kept, int64_t count, int64_t elements, float* padded) {
  if (count == kLanes) return kept;
  std::fill_n(padded, elements * kLanes, 0.0f);
  for (int64_t e = 0; e < elements; ++e) std::copy_n(kept + e * count, count, padded + e * kLanes);
  return padded;
}

// A product in lane layout, out (rows x cols) = alpha W B, with W's element (r, q) at
// w[(r * w.row + q * w.col) * kLanes] (so W or its transpose, read in place) and B depth x cols.
struct Weights {
  const float* w;
  int64_t row, col;
};

// Rows [0, R) and columns [0, K) of out: R x K independent FMA chains, B's row loaded once for all R.
template <int R, int K>
[[gnu::always_inline]] inline void mix_block(Weights w, int64_t depth, const float* b, int64_t cols, float alpha,
                                             float* out) {
  Vec acc[R][K] = {};
  for (int64_t q = 0; q < depth; ++q) {
    Vec bq[K];
    for (int k = 0; k < K; ++k) load(bq[k], b + (q * cols + k) * kLanes);
    for (int r = 0; r < R; ++r) {
      Vec wv;
      load(wv, w.w + (r * w.row + q * w.col) * kLanes);
      for (int k = 0; k < K; ++k) acc[r][k] += wv * bq[k];
    }
  }
  for (int r = 0; r < R; ++r)
    for (int k = 0; k < K; ++k) store(out + (r * cols + k) * kLanes, alpha * acc[r][k]);
}

// K columns of out, all rows: blocks of R rows such that R K is about 16 chains, then the rows left
// in blocks of 4, 2 and 1.
template <int K>
[[gnu::always_inline]] inline void mix_columns(Weights w, int64_t rows, int64_t depth, const float* b, int64_t cols,
                                               float alpha, float* out) {
  constexpr int kRows = K > 4 ? 2 : 16 / K;
  const auto rows_from = [&](int64_t r) { return Weights{w.w + r * w.row * kLanes, w.row, w.col}; };
  int64_t r = 0;
  for (; r + kRows <= rows; r += kRows)
    mix_block<kRows, K>(rows_from(r), depth, b, cols, alpha, out + r * cols * kLanes);
  if constexpr (kRows > 4)
    for (; r + 4 <= rows; r += 4) mix_block<4, K>(rows_from(r), depth, b, cols, alpha, out + r * cols * kLanes);
  if constexpr (kRows > 2)
    for (; r + 2 <= rows; r += 2) mix_block<2, K>(rows_from(r), depth, b, cols, alpha, out + r * cols * kLanes);
  for (; r < rows; ++r) mix_block<1, K>(rows_from(r), depth, b, cols, alpha, out + r * cols * kLanes);
}

// out = alpha W B over all columns, 8 at a time.
[[gnu::always_inline]] inline void mix(Weights w, int64_t rows, int64_t depth, const float* b, int64_t cols,
                                       float alpha, float* out) {
  for (int64_t c0 = 0; c0 < cols; c0 += 8) {
    const float* bc = b + c0 * kLanes;
    float* oc = out + c0 * kLanes;
    switch (std::min<int64_t>(8, cols - c0)) {
      case 1: mix_columns<1>(w, rows, depth, bc, cols, alpha, oc); break;
      case 2: mix_columns<2>(w, rows, depth, bc, cols, alpha, oc); break;
      case 3: mix_columns<3>(w, rows, depth, bc, cols, alpha, oc); break;
      case 4: mix_columns<4>(w, rows, depth, bc, cols, alpha, oc); break;
      case 5: mix_columns<5>(w, rows, depth, bc, cols, alpha, oc); break;
      case 6: mix_columns<6>(w, rows, depth, bc, cols, alpha, oc); break;
      case 7: mix_columns<7>(w, rows, depth, bc, cols, alpha, oc); break;
      default: mix_columns<8>(w, rows, depth, bc, cols, alpha, oc); break;
    }
  }
}

// Softmax of each of the n rows of n scores, every lane on its own.
[[gnu::always_inline]] inline void softmax_rows(float* s, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    float* row = s + i * n * kLanes;
    float max[kLanes], total[kLanes] = {};
    std::copy_n(row, kLanes, max);
    for (int64_t j = 1; j < n; ++j)
#pragma omp simd
      for (int64_t l = 0; l < kLanes; ++l) max[l] = std::max(max[l], row[j * kLanes + l]);
    for (int64_t j = 0; j < n; ++j)
#pragma omp simd
      for (int64_t l = 0; l < kLanes; ++l) {
        const float e = exp_nonpositive(row[j * kLanes + l] - max[l]);
        row[j * kLanes + l] = e;
        total[l] += e;
      }
    for (int64_t l = 0; l < kLanes; ++l) total[l] = 1.0f / total[l];
    for (int64_t j = 0; j < n; ++j)
#pragma omp simd
      for (int64_t l = 0; l < kLanes; ++l) row[j * kLanes + l] *= total[l];
  }
}

// g = p (g - <g, p>) along each row: the softmax's backward, in place on g.
[[gnu::always_inline]] inline void softmax_backward_rows(const float* p, float* g, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const float* pr = p + i * n * kLanes;
    float* gr = g + i * n * kLanes;
    float dot[kLanes] = {};
    for (int64_t j = 0; j < n; ++j)
#pragma omp simd
      for (int64_t l = 0; l < kLanes; ++l) dot[l] += pr[j * kLanes + l] * gr[j * kLanes + l];
    for (int64_t j = 0; j < n; ++j)
#pragma omp simd
      for (int64_t l = 0; l < kLanes; ++l) gr[j * kLanes + l] = pr[j * kLanes + l] * (gr[j * kLanes + l] - dot[l]);
  }
}

// P = softmax(scale Q K^T), O = P V for one block.
[[gnu::target("arch=x86-64-v4")]] void forward_block(const AttentionArgs& a, int64_t index) {
  const int64_t n = a.n, c = a.c, nc = n * c * kLanes;
  const Block b = block_at(a, index);
  float* q = cpu::attention_scratch(4 * nc + n * n * kLanes);
  float* kt = q + nc;
  float* v = kt + nc;
  float* o = v + nc;
  float* kept = a.p ? a.p + index * kLanes * n * n : nullptr;
  float* p = kept && b.count == kLanes ? kept : o + nc;  // a whole block's weights go straight to a.p
  gather(a.q, b.q, a.q_at.ld, n, c, false, q);
  gather(a.k, b.k, a.k_at.ld, n, c, true, kt);
  gather(a.v, b.v, a.v_at.ld, n, c, false, v);
  mix({q, c, 1}, n, c, kt, n, a.scale, p);
  softmax_rows(p, n);
  mix({p, n, 1}, n, n, v, c, 1.0f, o);
  scatter(o, b.count, n, c, a.out, b.out, a.out_at.ld);
  if (kept && p != kept) keep_weights(p, b.count, n * n, kept);
}

// With S = scale Q K^T and P = softmax(S): gV = P^T gO, gP = gO V^T, gS = softmax'(gP),
// gQ = scale gS K, gK = scale gS^T Q.
[[gnu::target("arch=x86-64-v4")]] void backward_block(
    const AttentionArgs& a, int64_t index, const float* g_out, float* g_q, float* g_k, float* g_v) {
  const int64_t n = a.n, c = a.c, nc = n * c * kLanes, nn = n * n * kLanes;
  const Block b = block_at(a, index);
  float* go = cpu::attention_scratch(5 * nc + 2 * nn);
  float* vt = go + nc;
  float* k = vt + nc;
  float* q = k + nc;
  float* grad = q + nc;
  float* gs = grad + nc;
  const float* p = kept_weights(a.p + index * kLanes * n * n, b.count, n * n, gs + nn);
  gather(g_out, b.out, a.out_at.ld, n, c, false, go);
  gather(a.v, b.v, a.v_at.ld, n, c, true, vt);
  gather(a.k, b.k, a.k_at.ld, n, c, false, k);
  gather(a.q, b.q, a.q_at.ld, n, c, false, q);
  mix({p, 1, n}, n, n, go, c, 1.0f, grad);
  scatter(grad, b.count, n, c, g_v, b.v, a.v_at.ld);
  mix({go, c, 1}, n, c, vt, n, 1.0f, gs);
  softmax_backward_rows(p, gs, n);
  mix({gs, n, 1}, n, n, k, c, a.scale, grad);
  scatter(grad, b.count, n, c, g_q, b.q, a.q_at.ld);
  mix({gs, 1, n}, n, n, q, c, a.scale, grad);
  scatter(grad, b.count, n, c, g_k, b.k, a.k_at.ld);
}

int64_t blocks_of(const AttentionArgs& a) {
  const int64_t products = a.groups.heads * a.groups.inner * a.groups.outer;
  return (products + kLanes - 1) / kLanes;
}

// A block's share of the pool's unit of work: its products' 2 n n c flops twice and n n exponentials.
int64_t block_work(const AttentionArgs& a) { return kLanes * (4 * a.n * a.n * a.c / 32 + a.n * a.n); }

}  // namespace

bool cpu::attention_in_lanes_fits() {
  static const bool fits = __builtin_cpu_supports("x86-64-v4");
  return fits;
}

void cpu::attention_in_lanes(const AttentionArgs& a) {
  if (a.n == 0) return;
  cpu::parallel_for_each(blocks_of(a), block_work(a), [&](int64_t block) { forward_block(a, block); });
}

void cpu::attention_backward_in_lanes(const AttentionArgs& a, const float* g_out, float* g_q, float* g_k,
                                      float* g_v) {
  if (a.n == 0) return;
  cpu::parallel_for_each(blocks_of(a), 2 * block_work(a),
                         [&](int64_t block) { backward_block(a, block, g_out, g_q, g_k, g_v); });
}

}  // namespace kasf
