// Attention one product at a time: a head's scores for one group (at most 27 x 27 for the models'
// sequences) stay in cache from their product through the softmax to the weighted sum, and in the
// backward the weights' gradient likewise from its product through the softmax's backward to the
// gradients of Q and K. Only the weights a backward reads are written out.
#include <vector>

#include "framework/cpu/cpu_backend.h"

namespace kasf {

namespace {

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
    // Product i is head h of inner group `in` of outer group o: the order of attention_blocks.
    const int64_t h = i % g.heads, group = i / g.heads, in = group % g.inner, o = group / g.inner;
    product(i, [&](const AttentionStrides& s) { return h * s.head + in * s.inner + o * s.outer; });
  });
}

// An n x n block of the calling thread's own.
float* scratch_block(int64_t n) {
  thread_local std::vector<float> scratch;
  scratch.resize(static_cast<size_t>(n * n));
  return scratch.data();
}

}  // namespace

void CpuBackend::attention(const AttentionArgs& a) {
  const int64_t n = a.n, c = a.c;
  for_each_product(a, [&](int64_t i, const auto& at) {
    float* p = a.p ? a.p + i * n * n : scratch_block(n);
    cpu::blas_product({.trans_b = true, .m = n, .n = n, .k = c, .alpha = a.scale, .a = a.q + at(a.q_at),
                       .lda = a.q_at.ld, .b = a.k + at(a.k_at), .ldb = a.k_at.ld, .c = p, .ldc = n});
    cpu::softmax_serial(p, p, n, n);
    cpu::blas_product({.m = n, .n = c, .k = n, .a = p, .lda = n, .b = a.v + at(a.v_at), .ldb = a.v_at.ld,
                       .c = a.out + at(a.out_at), .ldc = a.out_at.ld});
  });
}

// With S = scale Q K^T and P = softmax(S): gV = P^T gO, gP = gO V^T, gS = softmax'(gP),
// gQ = scale gS K, gK = scale gS^T Q.
void CpuBackend::attention_backward(const AttentionArgs& a, const float* g_out, float* g_q, float* g_k, float* g_v) {
  const int64_t n = a.n, c = a.c;
  for_each_product(a, [&](int64_t i, const auto& at) {
    const float* p = a.p + i * n * n;
    const float* g_o = g_out + at(a.out_at);
    cpu::blas_product({.trans_a = true, .m = n, .n = c, .k = n, .a = p, .lda = n, .b = g_o, .ldb = a.out_at.ld,
                       .c = g_v + at(a.v_at), .ldc = a.v_at.ld});
    float* g_s = scratch_block(n);
    cpu::blas_product({.trans_b = true, .m = n, .n = n, .k = c, .a = g_o, .lda = a.out_at.ld, .b = a.v + at(a.v_at),
                       .ldb = a.v_at.ld, .c = g_s, .ldc = n});
    cpu::softmax_backward_serial(p, g_s, g_s, n, n);
    cpu::blas_product({.m = n, .n = c, .k = n, .alpha = a.scale, .a = g_s, .lda = n, .b = a.k + at(a.k_at),
                       .ldb = a.k_at.ld, .c = g_q + at(a.q_at), .ldc = a.q_at.ld});
    cpu::blas_product({.trans_a = true, .m = n, .n = c, .k = n, .alpha = a.scale, .a = g_s, .lda = n,
                       .b = a.q + at(a.q_at), .ldb = a.q_at.ld, .c = g_k + at(a.k_at), .ldc = a.k_at.ld});
  });
}

}  // namespace kasf
