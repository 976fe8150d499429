// DepthwiseConv2d against a direct host convolution over the (frame, joint) grid, for kernel sizes
// 1, 3 and 5 on a grid smaller than the 5 x 5 kernel in one direction (zero padding on every side).
#include "layers/depthwise_conv.h"

#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/shape.h"
#include "layers/init.h"

using namespace kasf;

namespace {

constexpr int64_t B = 2, T = 4, J = 3, C = 5;

size_t at(int64_t b, int64_t t, int64_t j, int64_t c) { return ((b * T + t) * J + j) * C + c; }

// out[b, t, j, c] = bias[c] + sum over the kernel of weight[c, 0, dt, dj] x[b, t + dt - k/2, j + dj - k/2, c],
// with x = 0 outside the grid (torch.nn.Conv2d with groups = C on the (B, C, T, J) view).
std::vector<double> reference(const std::vector<float>& x, const std::vector<float>& weight,
                              const std::vector<float>& bias, int64_t k) {
  std::vector<double> out(x.size());
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < T; ++t)
      for (int64_t j = 0; j < J; ++j)
        for (int64_t c = 0; c < C; ++c) {
          double sum = bias[c];
          for (int64_t dt = 0; dt < k; ++dt)
            for (int64_t dj = 0; dj < k; ++dj) {
              const int64_t ts = t + dt - k / 2, js = j + dj - k / 2;
              if (ts >= 0 && ts < T && js >= 0 && js < J)
                sum += double(weight[(c * k + dt) * k + dj]) * x[at(b, ts, js, c)];
            }
          out[at(b, t, j, c)] = sum;
        }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(depthwise_conv)

BOOST_AUTO_TEST_CASE(matches_direct_convolution_with_zero_padding) {
  Generator generator(4);
  const Tensor x = uniform_tensor({B, T, J, C}, 2.0f, generator);
  for (int64_t k : {1, 3, 5}) BOOST_TEST_CONTEXT("kernel " << k) {
      DepthwiseConv2d conv(C, k, generator);
      const auto parameters = conv.named_parameters();
      BOOST_REQUIRE_EQUAL(parameters.size(), 2u);
      BOOST_TEST(parameters[0].first == "weight");
      BOOST_TEST((parameters[0].second.shape() == Shape{C, 1, k, k}));
      const std::vector<float> got = conv.forward(x).to_vector();
      const std::vector<double> expected =
          reference(x.to_vector(), parameters[0].second.to_vector(), parameters[1].second.to_vector(), k);
      BOOST_REQUIRE_EQUAL(got.size(), expected.size());
      for (size_t i = 0; i < got.size(); ++i)
        BOOST_TEST(std::fabs(got[i] - expected[i]) <= 1e-5 * (1.0 + std::fabs(expected[i])), "element " << i);
    }
}

BOOST_AUTO_TEST_CASE(even_kernels_and_other_channel_counts_are_refused) {
  Generator generator(1);
  BOOST_CHECK_THROW(DepthwiseConv2d(C, 2, generator), std::invalid_argument);
  DepthwiseConv2d conv(C, 3, generator);
  BOOST_CHECK_THROW(conv.forward(Tensor::zeros({B, T, J, C + 1})), ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()
