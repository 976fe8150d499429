// Multi-head attention against a direct host computation for both token axes.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/ops.h"
#include "layers/attention.h"
#include "layers/init.h"

using namespace kasf;

namespace {

constexpr int64_t B = 2, T = 3, J = 4, C = 6, H = 2, c = C / H;

size_t at(int64_t b, int64_t t, int64_t j, int64_t ch) { return ((b * T + t) * J + j) * C + ch; }

// out[b, t, j, head channels] = sum_s softmax_s(q . k_s * scale) v_s, s running over the joints of
// frame t (spatial) or the frames of joint j (temporal).
std::vector<double> reference(const std::vector<float>& q, const std::vector<float>& k, const std::vector<float>& v,
                              TokenAxis axis, double scale) {
  std::vector<double> out(q.size(), 0.0);
  const int64_t n = axis == TokenAxis::Spatial ? J : T;
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < T; ++t)
      for (int64_t j = 0; j < J; ++j)
        for (int64_t h = 0; h < H; ++h) {
          std::vector<double> logits(n);
          double top = -INFINITY;
          for (int64_t s = 0; s < n; ++s) {
            const int64_t ts = axis == TokenAxis::Spatial ? t : s, js = axis == TokenAxis::Spatial ? s : j;
            double dot = 0.0;
            for (int64_t i = 0; i < c; ++i) dot += double(q[at(b, t, j, h * c + i)]) * k[at(b, ts, js, h * c + i)];
            logits[s] = dot * scale;
            top = std::max(top, logits[s]);
          }
          double total = 0.0;
          for (double& l : logits) total += (l = std::exp(l - top));
          for (int64_t s = 0; s < n; ++s) {
            const int64_t ts = axis == TokenAxis::Spatial ? t : s, js = axis == TokenAxis::Spatial ? s : j;
            for (int64_t i = 0; i < c; ++i) out[at(b, t, j, h * c + i)] += logits[s] / total * v[at(b, ts, js, h * c + i)];
          }
        }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(attention)

BOOST_AUTO_TEST_CASE(matches_direct_computation_on_both_axes) {
  Generator generator(9);
  Tensor q = uniform_tensor({B, T, J, C}, 2.0f, generator), k = uniform_tensor({B, T, J, C}, 2.0f, generator),
         v = uniform_tensor({B, T, J, C}, 2.0f, generator);
  for (TokenAxis axis : {TokenAxis::Spatial, TokenAxis::Temporal}) {
    for (std::optional<float> scale : {std::optional<float>(), std::optional<float>(0.3f)}) {
      AttentionOptions options{C, H, false, scale, 0.0f, axis};
      std::vector<float> got = multi_head_attention(q, k, v, options, false, generator).to_vector();
      std::vector<double> expected =
          reference(q.to_vector(), k.to_vector(), v.to_vector(), axis, scale.value_or(1.0 / std::sqrt(double(c))));
      BOOST_REQUIRE_EQUAL(got.size(), expected.size());
      for (size_t i = 0; i < got.size(); ++i) BOOST_TEST(got[i] == expected[i], boost::test_tools::tolerance(1e-5));
    }
  }
}

BOOST_AUTO_TEST_CASE(heads_must_divide_the_width) {
  Generator generator(1);
  BOOST_CHECK_THROW(SelfAttention(AttentionOptions{6, 4, false, std::nullopt, 0.0f, TokenAxis::Spatial}, generator),
                    std::invalid_argument);
}

// MotionAGFormer's proj_drop: in training each output element is dropped or scaled by 1/(1-p), as
// inverted dropout of the eval-mode output; in eval mode nothing is dropped.
BOOST_AUTO_TEST_CASE(output_dropout_acts_in_training_only) {
  Generator generator(4);
  AttentionOptions options{C, H, false, std::nullopt, 0.0f, TokenAxis::Temporal};
  options.proj_drop = 0.5f;
  SelfAttention attention(options, generator);
  const Tensor x = uniform_tensor({B, T, J, C}, 1.0f, generator);
  attention.eval();
  const std::vector<float> kept = attention.forward(x, Tensor()).to_vector();
  attention.train();
  const std::vector<float> dropped = attention.forward(x, Tensor()).to_vector();
  size_t zeros = 0;
  for (size_t i = 0; i < kept.size(); ++i) {
    if (dropped[i] == 0.0f) {
      ++zeros;
    } else {
      BOOST_TEST(dropped[i] == 2.0f * kept[i], boost::test_tools::tolerance(1e-5f));
    }
  }
  BOOST_TEST(zeros > kept.size() / 4);
  BOOST_TEST(zeros < 3 * kept.size() / 4);
}

BOOST_AUTO_TEST_SUITE_END()
