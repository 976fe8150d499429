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
// Saved: x with the row statistics, and u. The backward recomputes a (for fc2's weight gradient, in
// the epilogue of the GEMM that also applies act'(u)) and n (for fc1's weight gradient) into scratch
// buffers, so the saved activations are 1 + h/d rows of width d instead of 2 + 2h/d.
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
    // fc1's epilogue activates its tiles in cache; the backward reads the pre-activation u, so it
    // keeps u apart unless no backward will run (then u is activated in place).
    const bool backward = will_record({x, norm_gamma, norm_beta, w1, b1, w2, b2});
    Tensor activated = backward ? Tensor::empty({rows, hidden}, device) : u;
    {
      Tensor normed = Tensor::empty({rows, d}, device);
      be.layer_norm(xd.data(), gamma.data(), beta.data(), normed.data(), mean.data(), rstd.data(), rows, d, eps);
      detail::linear_rows(normed.data(), w1d, b1d, u.data(), rows, activated.data(), activation);
    }
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
        // fc2, its input gradient carried through the activation in the GEMM's epilogue,
        // g_u = (g W2) * act'(u), which also recomputes fc2's input act(u) for its weight gradient.
        Tensor g_u = Tensor::empty({rows, hidden}, device);
        {
          Tensor activated = Tensor::empty({rows, hidden}, device);
          detail::activated_linear_rows_backward(u.data(), activation, activated.data(), w2d, gd.data(), g_u.data(),
                                                 detail::data_or_null(g_w2), detail::data_or_null(g_b2), rows);
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

// The products of a (B, T, J, width) token tensor whose sequence runs along axis 1 (frames: a
// joint's frames, per sample) or 2 (joints: a frame's joints, the samples' frames in one level).
AttentionGroups token_groups(const Shape& s, int64_t heads, int64_t seq_axis) {
  return seq_axis == 2 ? AttentionGroups{heads, s[0] * s[1], 1} : AttentionGroups{heads, s[2], s[0]};
}

// Such a token tensor read per head of width c.
AttentionStrides token_strides(const Shape& s, int64_t c, int64_t seq_axis) {
  const int64_t T = s[1], J = s[2], width = s[3];
  return seq_axis == 2 ? AttentionStrides{width, c, J * width, 0} : AttentionStrides{J * width, c, width, T * J * width};
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
// backward, which hands each input a gradient of its full width. The backend reads the operands
// straight from the token tensors and writes into them (no head-split copies). The backward keeps
// the inputs and the attention weights (products, n, n), 8 to 14 % of a block's saved activations at
// 17 and 27 tokens (recomputing them cost more time than that); without a backward the weights are
// not written at all.
Tensor attend(const char* op, const Tensor& q_tokens, const Tensor& kv_tokens, int64_t k_offset, int64_t v_offset,
              int64_t d, int64_t heads, int64_t seq_axis, float scale, bool packed) {
  const int64_t c = d / heads;
  Tensor qd = detail::dense(q_tokens), kvd = packed ? qd : detail::dense(kv_tokens);
  const Device device = qd.device();
  const int64_t n = qd.size(seq_axis);
  Shape out_shape = qd.shape();
  out_shape.back() = d;
  const AttentionGroups groups = token_groups(out_shape, heads, seq_axis);
  const AttentionStrides kv_at = token_strides(kvd.shape(), c, seq_axis);
  const int64_t products = groups.heads * groups.inner * groups.outer;
  Tensor p = will_record({q_tokens, kv_tokens}) ? Tensor::empty({products, n, n}, device) : Tensor();
  Tensor out = Tensor::empty(out_shape, device);
  AttentionArgs args{.groups = groups,
                     .n = n,
                     .c = c,
                     .scale = scale,
                     .q = qd.data(),
                     .q_at = token_strides(qd.shape(), c, seq_axis),
                     .k = kvd.data() + k_offset,
                     .k_at = kv_at,
                     .v = kvd.data() + v_offset,
                     .v_at = kv_at,
                     .out = out.data(),
                     .out_at = token_strides(out_shape, c, seq_axis),
                     .p = detail::data_or_null(p)};
  qd.backend().attention(args);
  args.out = nullptr;  // the backward reads the inputs and the weights only
  std::vector<Tensor> inputs = packed ? std::vector<Tensor>{q_tokens} : std::vector<Tensor>{q_tokens, kv_tokens};
  return record(out, op, inputs, [qd, kvd, p, args, packed, k_offset, v_offset](const Tensor& g, Grads& grads) {
    const Device device = qd.device();
    Tensor gd = detail::dense(g);
    // The gradients cover every column block of the inputs: no zero fill.
    Tensor g_q = Tensor::empty(qd.shape(), device);
    Tensor g_kv = packed ? g_q : Tensor::empty(kvd.shape(), device);
    qd.backend().attention_backward(args, gd.data(), g_q.data(), g_kv.data() + k_offset, g_kv.data() + v_offset);
    grads.set(0, g_q);
    if (!packed) grads.set(1, g_kv);
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
