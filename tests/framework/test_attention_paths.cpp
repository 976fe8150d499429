// The CPU attention's two paths on the models' short sequences (17 joints, 27 frames; heads of 8 and
// 16 channels; whole and partial 16-product blocks): 16 products at a time in vector lanes (run on
// CPUs with AVX-512) and one product at a time (every other CPU, and all longer sequences), each
// against a direct double-precision loop, forward output and the gradients of Q, K and V.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "framework/cpu/cpu_backend.h"
#include "framework/random.h"

namespace kasf {
namespace {

// Packed q|k|v tokens (B, T, J, 3 d) with `heads` heads, attended over the joints or the frames.
struct Setup {
  int64_t batch, frames, joints, d, heads;
  bool over_joints;

  int64_t width() const { return 3 * d; }
  int64_t c() const { return d / heads; }
  int64_t n() const { return over_joints ? joints : frames; }
  // Products ordered (outer = sample, inner = frame or joint, head), as attention_blocks orders them.
  AttentionGroups groups() const { return {heads, over_joints ? frames : joints, batch}; }
  AttentionStrides strides(int64_t row_width) const {
    return over_joints ? AttentionStrides{row_width, c(), joints * row_width, frames * joints * row_width}
                       : AttentionStrides{joints * row_width, c(), row_width, frames * joints * row_width};
  }
  int64_t products() const { return heads * groups().inner * batch; }
};

struct Result {
  std::vector<double> out, g_qkv;
};

// The exact attention and its backward, product by product, in double.
Result reference(const Setup& s, const std::vector<float>& qkv, const std::vector<float>& g_out, float scale) {
  const int64_t n = s.n(), c = s.c();
  Result r{std::vector<double>(g_out.size()), std::vector<double>(qkv.size())};
  const AttentionGroups g = s.groups();
  const AttentionStrides in = s.strides(s.width()), out = s.strides(s.d);
  for (int64_t i = 0; i < s.products(); ++i) {
    const int64_t h = i % g.heads, group = i / g.heads, inner = group % g.inner, outer = group / g.inner;
    const int64_t at_in = h * in.head + inner * in.inner + outer * in.outer;
    const int64_t at_out = h * out.head + inner * out.inner + outer * out.outer;
    const auto q = [&](int64_t t, int64_t k) { return double{qkv[at_in + t * in.ld + k]}; };
    const auto key = [&](int64_t t, int64_t k) { return double{qkv[at_in + s.d + t * in.ld + k]}; };
    const auto v = [&](int64_t t, int64_t k) { return double{qkv[at_in + 2 * s.d + t * in.ld + k]}; };
    const auto go = [&](int64_t t, int64_t k) { return double{g_out[at_out + t * out.ld + k]}; };
    std::vector<double> p(n * n), gs(n * n);
    for (int64_t a = 0; a < n; ++a) {
      double max = -INFINITY, total = 0.0;
      for (int64_t b = 0; b < n; ++b) {
        double dot = 0.0;
        for (int64_t k = 0; k < c; ++k) dot += q(a, k) * key(b, k);
        p[a * n + b] = scale * dot;
        max = std::max(max, p[a * n + b]);
      }
      for (int64_t b = 0; b < n; ++b) total += p[a * n + b] = std::exp(p[a * n + b] - max);
      for (int64_t b = 0; b < n; ++b) p[a * n + b] /= total;
      for (int64_t k = 0; k < c; ++k) {
        double o = 0.0;
        for (int64_t b = 0; b < n; ++b) o += p[a * n + b] * v(b, k);
        r.out[at_out + a * out.ld + k] = o;
      }
      double weighted = 0.0;  // sum over b of p (dO . v_b)
      for (int64_t b = 0; b < n; ++b) {
        double gp = 0.0;
        for (int64_t k = 0; k < c; ++k) gp += go(a, k) * v(b, k);
        gs[a * n + b] = gp;
        weighted += p[a * n + b] * gp;
      }
      for (int64_t b = 0; b < n; ++b) gs[a * n + b] = p[a * n + b] * (gs[a * n + b] - weighted);
    }
    for (int64_t t = 0; t < n; ++t)
      for (int64_t k = 0; k < c; ++k) {
        double gq = 0.0, gk = 0.0, gv = 0.0;
        for (int64_t u = 0; u < n; ++u) {
          gq += gs[t * n + u] * key(u, k);
          gk += gs[u * n + t] * q(u, k);
          gv += p[u * n + t] * go(u, k);
        }
        r.g_qkv[at_in + t * in.ld + k] = scale * gq;
        r.g_qkv[at_in + s.d + t * in.ld + k] = scale * gk;
        r.g_qkv[at_in + 2 * s.d + t * in.ld + k] = gv;
      }
  }
  return r;
}

// The largest |got - want| over the largest |want|.
double relative_error(const std::vector<float>& got, const std::vector<double>& want) {
  double error = 0.0, scale = 0.0;
  for (size_t i = 0; i < got.size(); ++i) {
    error = std::max(error, std::fabs(got[i] - want[i]));
    scale = std::max(scale, std::fabs(want[i]));
  }
  return error / scale;
}

template <class Forward, class Backward>
void check_path(const std::string& path, const Setup& s, Forward forward, Backward backward) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(s.c()));
  Generator generator(7);
  std::vector<float> qkv(s.batch * s.frames * s.joints * s.width()), g_out(s.batch * s.frames * s.joints * s.d);
  for (float& x : qkv) x = generator.uniform(-2.0f, 2.0f);
  for (float& x : g_out) x = generator.uniform(-1.0f, 1.0f);
  std::vector<float> out(g_out.size(), NAN), weights(s.products() * s.n() * s.n(), NAN), g_qkv(qkv.size(), NAN);
  const AttentionStrides in = s.strides(s.width());
  const AttentionArgs args{.groups = s.groups(), .n = s.n(), .c = s.c(), .scale = scale,
                           .q = qkv.data(), .q_at = in, .k = qkv.data() + s.d, .k_at = in,
                           .v = qkv.data() + 2 * s.d, .v_at = in, .out = out.data(), .out_at = s.strides(s.d),
                           .p = weights.data()};
  forward(args);
  backward(args, g_out.data(), g_qkv.data(), g_qkv.data() + s.d, g_qkv.data() + 2 * s.d);
  const Result want = reference(s, qkv, g_out, scale);
  const std::string what = path + (s.over_joints ? " over joints" : " over frames") + ", c = " +
                           std::to_string(s.c()) + ", " + std::to_string(s.products()) + " products";
  BOOST_TEST(relative_error(out, want.out) < 1e-5, what << ": output");
  BOOST_TEST(relative_error(g_qkv, want.g_qkv) < 1e-5, what << ": gradients of q, k and v");
}

// 2 samples: 108 spatial products at 2 heads (6 whole blocks of 16 and one of 12), 68 temporal.
const std::vector<Setup> kSetups = {
    {2, 27, 17, 16, 2, true}, {2, 27, 17, 16, 2, false}, {1, 27, 17, 32, 2, true}, {1, 27, 17, 32, 2, false}};

}  // namespace

BOOST_AUTO_TEST_SUITE(attention_paths)

BOOST_AUTO_TEST_CASE(one_product_at_a_time_matches_the_exact_attention_on_short_sequences) {
  for (const Setup& s : kSetups)
    check_path("per product", s, cpu::attention_per_product, cpu::attention_backward_per_product);
}

BOOST_AUTO_TEST_CASE(sixteen_products_in_lanes_match_the_exact_attention) {
  if (!cpu::attention_in_lanes_fits()) {
    // Not a silent skip: the message names it, and the backend never takes this path on such a CPU.
    BOOST_TEST_MESSAGE("this CPU lacks AVX-512: the lane kernels are not used here, nothing to check");
    return;
  }
  for (const Setup& s : kSetups) check_path("in lanes", s, cpu::attention_in_lanes, cpu::attention_backward_in_lanes);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf
