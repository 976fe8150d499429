// BatchNorm's running statistics (PyTorch semantics: momentum, unbiased variance in the update,
// untouched in evaluation) against a direct computation, and its argument checks.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <vector>

#include "framework/autograd.h"
#include "framework/ops.h"

namespace kasf {
namespace {

// Per-channel mean and unbiased variance of x (n, channels, inner), in double.
void direct_stats(const std::vector<float>& x, int64_t n, int64_t channels, int64_t inner, std::vector<double>& mean,
                  std::vector<double>& unbiased_var) {
  mean.assign(channels, 0.0);
  unbiased_var.assign(channels, 0.0);
  const double count = static_cast<double>(n * inner);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t j = 0; j < inner; ++j) mean[c] += x[(i * channels + c) * inner + j] / count;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t j = 0; j < inner; ++j) unbiased_var[c] += std::pow(x[(i * channels + c) * inner + j] - mean[c], 2);
  for (double& v : unbiased_var) v /= count - 1.0;
}

std::vector<float> random_values(size_t count, Generator& gen, float low, float high) {
  std::vector<float> v(count);
  for (float& x : v) x = gen.uniform(low, high);
  return v;
}

void check_close(const std::vector<float>& actual, const std::vector<double>& expected, const char* what) {
  BOOST_REQUIRE_EQUAL(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i)
    BOOST_CHECK_MESSAGE(std::fabs(actual[i] - expected[i]) <= 1e-5 * (1.0 + std::fabs(expected[i])),
                        what << "[" << i << "] = " << actual[i] << ", expected " << expected[i]);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(batch_norm_buffers)

BOOST_AUTO_TEST_CASE(training_updates_running_stats_with_momentum_and_unbiased_variance) {
  const int64_t n = 6, channels = 4, inner = 5;
  const float momentum = 0.3f;
  Generator gen(7);
  std::vector<float> rm = random_values(channels, gen, -1.0f, 1.0f), rv = random_values(channels, gen, 0.5f, 2.0f);
  Tensor running_mean = Tensor::from_vector({channels}, rm), running_var = Tensor::from_vector({channels}, rv);
  std::vector<double> expected_mean(rm.begin(), rm.end()), expected_var(rv.begin(), rv.end());
  for (int step = 0; step < 2; ++step) {  // the second step starts from the first one's update
    std::vector<float> x = random_values(n * channels * inner, gen, -2.0f, 3.0f);
    batch_norm(Tensor::from_vector({n, channels, inner}, x), Tensor(), Tensor(), running_mean, running_var, true,
               momentum);
    std::vector<double> mean, var;
    direct_stats(x, n, channels, inner, mean, var);
    for (int64_t c = 0; c < channels; ++c) {
      expected_mean[c] = (1.0 - momentum) * expected_mean[c] + momentum * mean[c];
      expected_var[c] = (1.0 - momentum) * expected_var[c] + momentum * var[c];
    }
    check_close(running_mean.to_vector(), expected_mean, "running_mean");
    check_close(running_var.to_vector(), expected_var, "running_var");
  }
}

BOOST_AUTO_TEST_CASE(two_dimensional_input_uses_default_momentum) {
  const int64_t n = 17, channels = 3;
  Generator gen(11);
  std::vector<float> x = random_values(n * channels, gen, -1.0f, 1.0f);
  Tensor running_mean = Tensor::zeros({channels}), running_var = Tensor::full({channels}, 1.0f);
  batch_norm(Tensor::from_vector({n, channels}, x), Tensor(), Tensor(), running_mean, running_var, true);
  std::vector<double> mean, var;
  direct_stats(x, n, channels, 1, mean, var);
  for (int64_t c = 0; c < channels; ++c) {
    mean[c] = 0.1 * mean[c];
    var[c] = 0.9 + 0.1 * var[c];
  }
  check_close(running_mean.to_vector(), mean, "running_mean");
  check_close(running_var.to_vector(), var, "running_var");
}

BOOST_AUTO_TEST_CASE(evaluation_leaves_running_stats_alone) {
  Tensor running_mean = Tensor::from_vector({2}, {0.5f, -0.25f}), running_var = Tensor::from_vector({2}, {2.0f, 0.5f});
  Tensor x = Tensor::from_vector({3, 2}, {1, 2, 3, 4, 5, 6});
  Tensor y = batch_norm(x, Tensor(), Tensor(), running_mean, running_var, false);
  BOOST_CHECK_CLOSE(running_mean.to_vector()[1], -0.25f, 1e-6);
  BOOST_CHECK_CLOSE(running_var.to_vector()[0], 2.0f, 1e-6);
  BOOST_CHECK_CLOSE(y.to_vector()[5], (6.0 + 0.25) / std::sqrt(0.5 + 1e-5), 1e-4);
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_rejected) {
  Tensor stats = Tensor::zeros({3});
  BOOST_CHECK_THROW(batch_norm(Tensor::zeros({4}), Tensor(), Tensor(), stats, stats, true), ShapeError);
  BOOST_CHECK_THROW(batch_norm(Tensor::zeros({4, 2}), Tensor(), Tensor(), stats, stats, true), ShapeError);
  BOOST_CHECK_THROW(batch_norm(Tensor::zeros({1, 3}), Tensor(), Tensor(), stats, stats, true), ShapeError);
  BOOST_CHECK_THROW(batch_norm(Tensor::zeros({4, 3}), Tensor(), Tensor(), Tensor(), Tensor(), false), ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf
