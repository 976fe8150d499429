// AdaptiveFusion computes its per-token weights as a sum of per-stream products (no concatenation):
// the output against a direct double-precision host loop of softmax(W concat(streams) + b), and every
// gradient against the same layer written with concat and one linear; streams of unequal shape or
// number are refused.
#include "layers/adaptive_fusion.h"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "framework/ops.h"
#include "layers/init.h"

using namespace kasf;

namespace {

constexpr int64_t kStreams = 3, kRows = 2 * 4 * 5, kDim = 6;

// Random weight and bias (the layer starts at the mean: weight zero).
void randomize(const AdaptiveFusion& fusion, Generator& gen) {
  for (const auto& [name, parameter] : fusion.named_parameters())
    parameter.copy_from(uniform_tensor(parameter.shape(), 0.8f, gen));
}

Tensor parameter(const AdaptiveFusion& fusion, const std::string& name) {
  for (const auto& [n, p] : fusion.named_parameters())
    if (n == name) return p;
  BOOST_FAIL("no parameter " << name);
  return Tensor();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(adaptive_fusion)

BOOST_AUTO_TEST_CASE(matches_the_concatenated_linear_in_value_and_gradients) {
  Generator gen(3);
  AdaptiveFusion fusion(kDim, kStreams);
  randomize(fusion, gen);
  std::vector<Tensor> streams;
  for (int64_t i = 0; i < kStreams; ++i) {
    streams.push_back(uniform_tensor({2, 4, 5, kDim}, 1.0f, gen));
    streams.back().set_requires_grad(true);
  }
  const Tensor weight = parameter(fusion, "weight"), bias = parameter(fusion, "bias");
  const Tensor out = fusion.forward(streams);

  // The value against a host loop.
  const std::vector<float> w = weight.to_vector(), b = bias.to_vector(), got = out.to_vector();
  std::vector<std::vector<float>> s;
  for (const Tensor& t : streams) s.push_back(t.to_vector());
  for (int64_t r = 0; r < kRows; ++r) {
    double logits[kStreams], total = 0.0;
    for (int64_t k = 0; k < kStreams; ++k) {
      logits[k] = b[k];
      for (int64_t i = 0; i < kStreams; ++i)
        for (int64_t c = 0; c < kDim; ++c) logits[k] += double(w[k * kStreams * kDim + i * kDim + c]) * s[i][r * kDim + c];
    }
    for (double& l : logits) total += (l = std::exp(l));
    for (int64_t c = 0; c < kDim; ++c) {
      double expected = 0.0;
      for (int64_t i = 0; i < kStreams; ++i) expected += logits[i] / total * s[i][r * kDim + c];
      BOOST_TEST(std::fabs(got[r * kDim + c] - expected) <= 1e-5, "token " << r << " feature " << c);
    }
  }

  // The gradients against the concatenated form, for one random upstream gradient.
  const Tensor upstream = uniform_tensor(out.shape(), 1.0f, gen);
  sum(mul(out, upstream)).backward();
  std::vector<Tensor> grads = {weight.grad(), bias.grad()};
  for (const Tensor& t : streams) grads.push_back(t.grad());
  for (const Tensor& t : streams) t.zero_grad();
  weight.zero_grad();
  bias.zero_grad();
  const Tensor mix = softmax(linear(concat(streams, -1), weight, bias));
  Tensor reference = mul(streams[0], slice(mix, -1, 0, 1));
  for (int64_t i = 1; i < kStreams; ++i) reference = add(reference, mul(streams[i], slice(mix, -1, i, i + 1)));
  sum(mul(reference, upstream)).backward();
  std::vector<Tensor> expected = {weight.grad(), bias.grad()};
  for (const Tensor& t : streams) expected.push_back(t.grad());
  for (size_t g = 0; g < grads.size(); ++g) {
    const std::vector<float> a = grads[g].to_vector(), e = expected[g].to_vector();
    BOOST_REQUIRE_EQUAL(a.size(), e.size());
    for (size_t i = 0; i < a.size(); ++i)
      BOOST_TEST(std::fabs(a[i] - e[i]) <= 1e-5 * (1.0 + std::fabs(e[i])), "gradient " << g << "[" << i << "]");
  }
}

BOOST_AUTO_TEST_CASE(streams_of_another_shape_or_number_are_refused) {
  Generator gen(4);
  AdaptiveFusion fusion(kDim, kStreams);
  const Tensor a = uniform_tensor({2, 4, 5, kDim}, 1.0f, gen), narrow = uniform_tensor({1, 4, 5, kDim}, 1.0f, gen);
  BOOST_CHECK_EXCEPTION(fusion.forward({a, narrow, a}), ShapeError, [](const ShapeError& e) {
    return std::string(e.what()).find("(1, 4, 5, 6)") != std::string::npos;
  });
  BOOST_CHECK_THROW(fusion.forward({a, a}), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
