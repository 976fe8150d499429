// Fused ops: a chain of kernels recorded as one autograd node that saves only what its backward
// cannot cheaply recompute. They run on the Backend interface like every op, so each backend gets
// them without kernels of its own.
#include <string>

#include "framework/autograd.h"
#include "framework/ops.h"
#include "framework/ops/op_support.h"

namespace kasf {

namespace {

void check_feed_forward(const Tensor& x, const Tensor& norm_gamma, const Tensor& norm_beta, const Tensor& w1,
                        const Tensor& b1, const Tensor& w2, const Tensor& b2) {
  detail::check_same_device("norm_feed_forward", {&x, &norm_gamma, &norm_beta, &w1, &b1, &w2, &b2});
  const auto is_vector = [](const Tensor& t, int64_t size) { return t.rank() == 1 && t.size(0) == size; };
  const bool ok = x.rank() >= 1 && norm_gamma.defined() && norm_beta.defined() && b1.defined() && b2.defined() &&
                  is_vector(norm_gamma, x.size(-1)) && is_vector(norm_beta, x.size(-1)) && w1.rank() == 2 &&
                  w1.size(1) == x.size(-1) && is_vector(b1, w1.size(0)) && w2.rank() == 2 &&
                  w2.size(1) == w1.size(0) && is_vector(b2, w2.size(0));
  if (!ok)
    throw_shape_error("norm_feed_forward", "input " + to_string(x.shape()) + ", norm " + describe(norm_gamma) + " / " +
                                               describe(norm_beta) + ", fc1 " + describe(w1) + " / " + describe(b1) +
                                               ", fc2 " + describe(w2) + " / " + describe(b2) +
                                               " (need (..., d), (d,), (d,), (h, d), (h,), (o, h), (o,))");
}

}  // namespace

// Forward: n = LayerNorm(x); u = n W1^T + b1; a = act(u); y = a W2^T + b2.
// Saved: x with the row statistics, and u. The backward recomputes a (for fc2's weight gradient and
// the activation's derivative) and n (for fc1's weight gradient) into scratch buffers, so the
// saved activations are 1 + h/d rows of width d instead of 2 + 2h/d.
Tensor norm_feed_forward(const Tensor& x, const Tensor& norm_gamma, const Tensor& norm_beta, float eps,
                         const Tensor& w1, const Tensor& b1, const Tensor& w2, const Tensor& b2,
                         UnaryOp activation) {
  check_feed_forward(x, norm_gamma, norm_beta, w1, b1, w2, b2);
  const int64_t d = x.size(-1), hidden = w1.size(0), out = w2.size(0);
  const int64_t rows = d ? x.numel() / d : 0;
  const Device device = x.device();
  Backend& be = x.backend();
  Tensor xd = detail::dense(x), gamma = detail::dense(norm_gamma), beta = detail::dense(norm_beta);
  Tensor w1d = detail::dense(w1), b1d = detail::dense(b1), w2d = detail::dense(w2), b2d = detail::dense(b2);
  Tensor mean = Tensor::empty({rows}, device), rstd = Tensor::empty({rows}, device);
  Tensor u = Tensor::empty({rows, hidden}, device);
  Shape out_shape = x.shape();
  out_shape.back() = out;
  Tensor y = Tensor::empty(out_shape, device);
  {
    Tensor normed = Tensor::empty({rows, d}, device);
    be.layer_norm(xd.data(), gamma.data(), beta.data(), normed.data(), mean.data(), rstd.data(), rows, d, eps);
    detail::linear_rows(normed.data(), w1d, b1d, u.data(), rows);
  }
  {
    Tensor activated = Tensor::empty({rows, hidden}, device);
    be.unary(activation, 0.0f, u.data(), activated.data(), rows * hidden);
    detail::linear_rows(activated.data(), w2d, b2d, y.data(), rows);
  }
  return record(
      y, "norm_feed_forward", {x, norm_gamma, norm_beta, w1, b1, w2, b2},
      [xd, gamma, beta, w1d, b1d, w2d, b2d, mean, rstd, u, rows, d, hidden, eps, activation, device](
          const Tensor& g, Grads& grads) {
        Backend& be = xd.backend();
        Tensor gd = detail::dense(g);
        auto grad_or_null = [&grads, device](size_t input, const Shape& shape) {
          return grads.needs(input) ? Tensor::empty(shape, device) : Tensor();
        };
        Tensor g_gamma = grad_or_null(1, gamma.shape()), g_beta = grad_or_null(2, beta.shape());
        Tensor g_w1 = grad_or_null(3, w1d.shape()), g_b1 = grad_or_null(4, b1d.shape());
        Tensor g_w2 = grad_or_null(5, w2d.shape()), g_b2 = grad_or_null(6, b2d.shape());
        // fc2, then the activation's derivative in place: g_u = (g W2) * act'(u).
        Tensor g_u = Tensor::empty({rows, hidden}, device);
        {
          Tensor activated = Tensor::empty({rows, hidden}, device);
          be.unary(activation, 0.0f, u.data(), activated.data(), rows * hidden);
          detail::linear_rows_backward(activated.data(), w2d, gd.data(), g_u.data(), detail::data_or_null(g_w2),
                                       detail::data_or_null(g_b2), rows);
          be.unary_backward(activation, 0.0f, u.data(), activated.data(), g_u.data(), g_u.data(), rows * hidden);
        }
        // fc1 on the recomputed normalised input (the kernel rewrites the same row statistics), then
        // the LayerNorm.
        Tensor g_normed = Tensor::empty({rows, d}, device);
        {
          Tensor normed = Tensor::empty({rows, d}, device);
          be.layer_norm(xd.data(), gamma.data(), beta.data(), normed.data(), mean.data(), rstd.data(), rows, d, eps);
          detail::linear_rows_backward(normed.data(), w1d, g_u.data(), g_normed.data(), detail::data_or_null(g_w1),
                                       detail::data_or_null(g_b1), rows);
        }
        g_u = Tensor();
        Tensor gx = grad_or_null(0, xd.shape());
        if (gx.defined() || g_gamma.defined() || g_beta.defined()) {
          Tensor g_x_scratch = gx.defined() ? gx : Tensor::empty(xd.shape(), device);  // the kernel always writes gx
          be.layer_norm_backward(xd.data(), gamma.data(), mean.data(), rstd.data(), g_normed.data(), g_x_scratch.data(),
                                 detail::data_or_null(g_gamma), detail::data_or_null(g_beta), rows, d);
        }
        const Tensor* results[] = {&gx, &g_gamma, &g_beta, &g_w1, &g_b1, &g_w2, &g_b2};
        for (size_t i = 0; i < 7; ++i)
          if (results[i]->defined()) grads.set(i, *results[i]);
      });
}

namespace {

// Columns [offset, offset + heads * c) of a dense token tensor (B, T, J, width) seen with the heads
// split and the sequence axis (1: frames, 2: joints) next to the head dimension:
// (B, other, heads, sequence, c).
Layout head_split_layout(const Tensor& tokens, int64_t heads, int64_t c, int64_t seq_axis) {
  const Shape& s = tokens.shape();
  const Shape& st = tokens.strides();
  const int64_t other_axis = 3 - seq_axis;
  return Layout::of({s[0], s[other_axis], heads, s[seq_axis], c}, {st[0], st[other_axis], c, st[seq_axis], 1});
}

// What the attention backward needs: the inputs split into heads, one (groups, sequence, c) each,
// and the attention weights (groups, sequence, sequence). Keeping the weights costs 8 to 14 % of a
// block's saved activations at 17 and 27 tokens; recomputing them cost more time than that (a
// second scores product and softmax per backward).
struct HeadSplit {
  Tensor q, k, v, p;
  int64_t groups, sequence, c;
};

// C_g = alpha op(A_g) op(B_g) for `groups` dense products whose operands lie one after another.
void dense_batched_gemm(Backend& be, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                        const float* a, const float* b, float* c, int64_t groups) {
  be.gemm({.trans_a = trans_a, .trans_b = trans_b, .m = m, .n = n, .k = k, .alpha = alpha, .a = a,
           .lda = trans_a ? m : k, .stride_a = m * k, .b = b, .ldb = trans_b ? k : n, .stride_b = k * n, .c = c,
           .ldc = n, .stride_c = m * n, .batch = groups});
}

// The (groups, n, n) attention weights softmax(scale * q k^T), into a new tensor.
Tensor attention_weights(const HeadSplit& h, float scale) {
  const int64_t n = h.sequence, c = h.c;
  Tensor scores = Tensor::empty({h.groups, n, n}, h.q.device()), p = Tensor::empty({h.groups, n, n}, h.q.device());
  Backend& be = h.q.backend();
  dense_batched_gemm(be, false, true, n, n, c, scale, h.q.data(), h.k.data(), scores.data(), h.groups);
  be.softmax(scores.data(), p.data(), h.groups * n, n);  // out of place: cuDNN does not promise in-place
  return p;
}

// Copies the column block [offset, offset + d) of `tokens` into head-split order.
Tensor split_heads(const Tensor& tokens, int64_t offset, int64_t heads, int64_t c, int64_t seq_axis) {
  const Layout from = head_split_layout(tokens, heads, c, seq_axis);
  Tensor out = Tensor::empty({from.shape[0] * from.shape[1] * heads, from.shape[3], c}, tokens.device());
  tokens.backend().copy(tokens.data() + offset, from, out.data(), Layout::contiguous(Shape(from.shape, from.shape + 5)));
  return out;
}

// The inverse of split_heads, into the column block [offset, offset + d) of a dense `tokens`.
void merge_heads(const Tensor& split, const Tensor& tokens, int64_t offset, int64_t heads, int64_t c,
                 int64_t seq_axis) {
  const Layout to = head_split_layout(tokens, heads, c, seq_axis);
  tokens.backend().copy(split.data(), Layout::contiguous(Shape(to.shape, to.shape + 5)), tokens.data() + offset, to);
}

void check_attention(const char* op, const Tensor& q, int64_t q_width, const Tensor& kv, int64_t kv_width,
                     int64_t d, int64_t heads, int64_t seq_axis) {
  detail::check_same_device(op, {&q, &kv});
  const bool ok = q.rank() == 4 && kv.rank() == 4 && heads > 0 && d % heads == 0 && (seq_axis == 1 || seq_axis == 2) &&
                  q.size(-1) == q_width && kv.size(-1) == kv_width &&
                  Shape(q.shape().begin(), q.shape().end() - 1) == Shape(kv.shape().begin(), kv.shape().end() - 1);
  if (!ok)
    throw_shape_error(op, "inputs " + to_string(q.shape()) + " and " + to_string(kv.shape()) + ", " +
                              std::to_string(heads) + " heads, sequence axis " + std::to_string(seq_axis) +
                              " (need (B, T, J, width) tokens, a width divisible by the heads, axis 1 or 2)");
}

// Attention of the queries, columns [0, d) of `q_tokens`, over the key and value blocks at k_offset
// and v_offset of `kv_tokens` (`packed`: the same tensor); returns (B, T, J, d) and records the
// backward, which hands each input a gradient of its full width.
Tensor attend(const char* op, const Tensor& q_tokens, const Tensor& kv_tokens, int64_t k_offset, int64_t v_offset,
              int64_t d, int64_t heads, int64_t seq_axis, float scale, bool packed) {
  const int64_t c = d / heads;
  Tensor qd = detail::dense(q_tokens), kvd = packed ? qd : detail::dense(kv_tokens);
  HeadSplit h{split_heads(qd, 0, heads, c, seq_axis), split_heads(kvd, k_offset, heads, c, seq_axis),
              split_heads(kvd, v_offset, heads, c, seq_axis), Tensor(), 0, 0, c};
  h.groups = h.q.size(0);
  h.sequence = h.q.size(1);
  h.p = attention_weights(h, scale);
  const int64_t n = h.sequence;
  Backend& be = qd.backend();
  Shape out_shape = qd.shape();
  out_shape.back() = d;
  Tensor out = Tensor::empty(out_shape, qd.device());
  {
    Tensor mixed = Tensor::empty(h.q.shape(), qd.device());
    dense_batched_gemm(be, false, false, n, c, n, 1.0f, h.p.data(), h.v.data(), mixed.data(), h.groups);
    merge_heads(mixed, out, 0, heads, c, seq_axis);
  }
  std::vector<Tensor> inputs = packed ? std::vector<Tensor>{q_tokens} : std::vector<Tensor>{q_tokens, kv_tokens};
  return record(out, op, inputs,
                [h, heads, seq_axis, scale, packed, k_offset, v_offset, q_shape = qd.shape(),
                 kv_shape = kvd.shape()](const Tensor& g, Grads& grads) {
                  const int64_t n = h.sequence, c = h.c, groups = h.groups;
                  Backend& be = h.q.backend();
                  const Device device = h.q.device();
                  Tensor g_mixed = split_heads(detail::dense(g), 0, heads, c, seq_axis);
                  const Tensor& p = h.p;
                  Tensor g_q = Tensor::empty(h.q.shape(), device), g_k = Tensor::empty(h.k.shape(), device),
                         g_v = Tensor::empty(h.v.shape(), device);
                  dense_batched_gemm(be, true, false, n, c, n, 1.0f, p.data(), g_mixed.data(), g_v.data(), groups);
                  Tensor g_p = Tensor::empty(p.shape(), device), g_scores = Tensor::empty(p.shape(), device);
                  dense_batched_gemm(be, false, true, n, n, c, 1.0f, g_mixed.data(), h.v.data(), g_p.data(), groups);
                  be.softmax_backward(p.data(), g_p.data(), g_scores.data(), groups * n, n);
                  dense_batched_gemm(be, false, false, n, c, n, scale, g_scores.data(), h.k.data(), g_q.data(), groups);
                  dense_batched_gemm(be, true, false, n, c, n, scale, g_scores.data(), h.q.data(), g_k.data(), groups);
                  // The blocks cover every column of the inputs: no zero fill needed.
                  Tensor g_q_tokens = Tensor::empty(q_shape, device);
                  merge_heads(g_q, g_q_tokens, 0, heads, c, seq_axis);
                  Tensor g_kv_tokens = packed ? g_q_tokens : Tensor::empty(kv_shape, device);
                  merge_heads(g_k, g_kv_tokens, k_offset, heads, c, seq_axis);
                  merge_heads(g_v, g_kv_tokens, v_offset, heads, c, seq_axis);
                  grads.set(0, g_q_tokens);
                  if (!packed) grads.set(1, g_kv_tokens);
                });
}

}  // namespace

Tensor self_attention(const Tensor& qkv, int64_t heads, int64_t seq_axis, float scale) {
  const int64_t d = qkv.rank() == 4 ? qkv.size(-1) / 3 : 0;
  check_attention("self_attention", qkv, 3 * d, qkv, 3 * d, d, heads, seq_axis);
  if (d == 0) throw_shape_error("self_attention", "packed input " + to_string(qkv.shape()) + " has no features");
  return attend("self_attention", qkv, qkv, d, 2 * d, d, heads, seq_axis, scale, true);
}

Tensor attention(const Tensor& q, const Tensor& kv, int64_t heads, int64_t seq_axis, float scale) {
  const int64_t d = q.rank() == 4 ? q.size(-1) : 0;
  check_attention("attention", q, d, kv, 2 * d, d, heads, seq_axis);
  if (d == 0) throw_shape_error("attention", "input " + to_string(q.shape()) + " has no features");
  return attend("attention", q, kv, 0, d, d, heads, seq_axis, scale, false);
}

}  // namespace kasf
