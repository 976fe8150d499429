// Op table cases for the fused ops, against host references of the chains they replace.
#include <algorithm>
#include <cmath>
#include <vector>

#include "tests/framework/op_table.h"

namespace kasf::test {

namespace {

double gelu_exact(double x) { return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); }

// Rows of x (rows x d) through LayerNorm (eps 1e-5), fc1 (hidden), the activation and fc2 (out);
// `pre_activation` receives fc1's outputs.
HostValues host_norm_feed_forward(const std::vector<HostValues>& in, int64_t d, int64_t hidden, int64_t out,
                                  bool gelu, HostValues* pre_activation = nullptr) {
  const HostValues &x = in[0], &gamma = in[1], &beta = in[2], &w1 = in[3], &b1 = in[4], &w2 = in[5], &b2 = in[6];
  const size_t rows = x.size() / static_cast<size_t>(d);
  HostValues y;
  std::vector<double> normed(d), activated(hidden);
  for (size_t r = 0; r < rows; ++r) {
    double mean = 0.0, var = 0.0;
    for (int64_t c = 0; c < d; ++c) mean += x[r * d + c];
    mean /= static_cast<double>(d);
    for (int64_t c = 0; c < d; ++c) var += (x[r * d + c] - mean) * (x[r * d + c] - mean);
    var /= static_cast<double>(d);
    for (int64_t c = 0; c < d; ++c) normed[c] = (x[r * d + c] - mean) / std::sqrt(var + 1e-5) * gamma[c] + beta[c];
    for (int64_t j = 0; j < hidden; ++j) {
      double u = b1[j];
      for (int64_t c = 0; c < d; ++c) u += normed[c] * w1[j * d + c];
      if (pre_activation) pre_activation->push_back(static_cast<float>(u));
      activated[j] = gelu ? gelu_exact(u) : std::max(u, 0.0);
    }
    for (int64_t o = 0; o < out; ++o) {
      double v = b2[o];
      for (int64_t j = 0; j < hidden; ++j) v += activated[j] * w2[o * hidden + j];
      y.push_back(static_cast<float>(v));
    }
  }
  return y;
}

OpCase norm_feed_forward_case(std::string name, Shape x, int64_t hidden, int64_t out, bool gelu) {
  OpCase c;
  c.name = std::move(name);
  const int64_t d = x.back();
  c.input_shapes = {x, {d}, {d}, {hidden, d}, {hidden}, {out, hidden}, {out}};
  c.op = [gelu](const std::vector<Tensor>& t) {
    return norm_feed_forward(t[0], t[1], t[2], 1e-5f, t[3], t[4], t[5], t[6], gelu ? UnaryOp::Gelu : UnaryOp::Relu);
  };
  c.reference = [x, d, hidden, out, gelu](const std::vector<HostValues>& in, Shape& s, HostValues& values) {
    s = x;
    s.back() = out;
    values = host_norm_feed_forward(in, d, hidden, out, gelu);
  };
  if (!gelu) {
    // ReLU's kink: shift fc1's biases until no pre-activation lies within reach of a finite
    // difference step (each input moves u by far less than 0.05).
    c.prepare = [d, hidden, out](std::vector<HostValues>& in) {
      for (int attempt = 0; attempt < 100; ++attempt) {
        HostValues u;
        host_norm_feed_forward(in, d, hidden, out, false, &u);
        bool clear = true;
        for (size_t i = 0; i < u.size(); ++i)
          if (std::fabs(u[i]) < 0.05f) {
            in[4][i % static_cast<size_t>(hidden)] += 0.1f;
            clear = false;
          }
        if (clear) return;
      }
    };
  }
  return c;
}

// Attention on host tokens (B, T, J, width) with q, k and v in column blocks starting at q_at, k_at,
// v_at of their inputs (`q_in`, `kv_in` index into the op's inputs).
HostValues host_attention(const std::vector<HostValues>& in, const Shape& q_shape, const Shape& kv_shape, size_t q_in,
                          size_t kv_in, int64_t q_at, int64_t k_at, int64_t v_at, int64_t d, int64_t heads,
                          int64_t seq_axis, double scale) {
  const int64_t B = q_shape[0], T = q_shape[1], J = q_shape[2], qw = q_shape[3], kvw = kv_shape[3];
  const int64_t c = d / heads, n = seq_axis == 1 ? T : J;
  HostValues out(static_cast<size_t>(B * T * J * d));
  auto token = [&](int64_t b, int64_t other, int64_t s) {  // (b, t, j) row index of sequence element s
    return seq_axis == 1 ? (b * T + s) * J + other : (b * T + other) * J + s;
  };
  for (int64_t b = 0; b < B; ++b)
    for (int64_t other = 0; other < (seq_axis == 1 ? J : T); ++other)
      for (int64_t h = 0; h < heads; ++h)
        for (int64_t i = 0; i < n; ++i) {
          std::vector<double> w(n);
          double top = -1e300, total = 0.0;
          for (int64_t j = 0; j < n; ++j) {
            double dot = 0.0;
            for (int64_t e = 0; e < c; ++e)
              dot += static_cast<double>(in[q_in][token(b, other, i) * qw + q_at + h * c + e]) *
                     in[kv_in][token(b, other, j) * kvw + k_at + h * c + e];
            w[j] = dot * scale;
            top = std::max(top, w[j]);
          }
          for (double& v : w) total += (v = std::exp(v - top));
          for (int64_t e = 0; e < c; ++e) {
            double acc = 0.0;
            for (int64_t j = 0; j < n; ++j) acc += w[j] / total * in[kv_in][token(b, other, j) * kvw + v_at + h * c + e];
            out[token(b, other, i) * d + h * c + e] = static_cast<float>(acc);
          }
        }
  return out;
}

OpCase self_attention_case(std::string name, Shape tokens, int64_t heads, int64_t seq_axis) {
  OpCase c;
  c.name = std::move(name);
  const int64_t d = tokens.back() / 3;
  const double scale = 1.0 / std::sqrt(static_cast<double>(d / heads));
  c.input_shapes = {tokens};
  c.low = -2.0f, c.high = 2.0f;
  c.op = [heads, seq_axis, scale](const std::vector<Tensor>& t) {
    return self_attention(t[0], heads, seq_axis, static_cast<float>(scale));
  };
  c.reference = [tokens, d, heads, seq_axis, scale](const std::vector<HostValues>& in, Shape& s, HostValues& out) {
    s = tokens;
    s.back() = d;
    out = host_attention(in, tokens, tokens, 0, 0, 0, d, 2 * d, d, heads, seq_axis, scale);
  };
  return c;
}

OpCase attention_case(std::string name, Shape q, int64_t heads, int64_t seq_axis) {
  OpCase c;
  c.name = std::move(name);
  const int64_t d = q.back();
  Shape kv = q;
  kv.back() = 2 * d;
  c.input_shapes = {q, kv};
  c.low = -2.0f, c.high = 2.0f;
  c.op = [heads, seq_axis](const std::vector<Tensor>& t) { return attention(t[0], t[1], heads, seq_axis, 0.5f); };
  c.reference = [q, kv, d, heads, seq_axis](const std::vector<HostValues>& in, Shape& s, HostValues& out) {
    s = q;
    out = host_attention(in, q, kv, 0, 1, 0, 0, d, d, heads, seq_axis, 0.5);
  };
  return c;
}

}  // namespace

void add_fused_cases(std::vector<OpCase>& t) {
  t.push_back(norm_feed_forward_case("norm_feed_forward_gelu", {2, 5, 8}, 12, 8, true));
  t.push_back(norm_feed_forward_case("norm_feed_forward_relu", {7, 6}, 10, 3, false));
  t.push_back(self_attention_case("self_attention_over_joints", {2, 3, 5, 12}, 2, 2));
  t.push_back(self_attention_case("self_attention_over_frames", {2, 4, 3, 24}, 4, 1));
  // 18 joints of 17 channels per head: more than one 16-float block of the CPU kernels' rows and
  // columns, each with a remainder.
  t.push_back(self_attention_case("self_attention_wider_than_a_register", {1, 2, 18, 102}, 2, 2));
  // 17 joints, heads of 8 channels, 18 products: a whole block of the CPU's 16-lane kernels and a
  // block of 2, with the 8-channel register transposes.
  t.push_back(self_attention_case("self_attention_in_lanes_of_16_products", {1, 9, 17, 48}, 2, 2));
  // 33 frames: longer than the CPU's short sequences, one product at a time.
  t.push_back(self_attention_case("self_attention_over_a_long_sequence", {1, 33, 2, 12}, 2, 1));
  t.push_back(attention_case("attention_over_frames", {1, 5, 3, 6}, 3, 1));
  t.push_back(attention_case("attention_over_joints", {2, 2, 4, 4}, 1, 2));
}

}  // namespace kasf::test
