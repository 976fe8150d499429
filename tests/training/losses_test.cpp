// The losses against direct host computations in double precision, and their autograd gradients
// against central finite differences of those host computations.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "framework/random.h"
#include "framework/tensor.h"
#include "training/losses.h"

namespace kasf::training {
namespace {

constexpr int64_t B = 2, T = 4, J = 17, C = 3;
using Poses = std::vector<double>;
using HostLoss = std::function<double(const Poses&, const Poses&)>;

double at(const Poses& p, int64_t b, int64_t t, int64_t j, int64_t c) { return p[((b * T + t) * J + j) * C + c]; }

// Mean over the (B, frames, J) positions of ||pose(P) - pose(Y)||, where `pose` reads joint j of
// position (b, t) from the arrays.
double mean_joint_error(int64_t frames, const std::function<double(int64_t, int64_t, int64_t, int64_t)>& diff) {
  double total = 0;
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < frames; ++t)
      for (int64_t j = 0; j < J; ++j) {
        double squared = 0;
        for (int64_t c = 0; c < C; ++c) squared += diff(b, t, j, c) * diff(b, t, j, c);
        total += std::sqrt(squared);
      }
  return total / static_cast<double>(B * frames * J);
}

double host_mpjpe(const Poses& p, const Poses& y) {
  return mean_joint_error(T, [&](int64_t b, int64_t t, int64_t j, int64_t c) { return at(p, b, t, j, c) - at(y, b, t, j, c); });
}

double host_n_mpjpe(const Poses& p, const Poses& y) {
  std::vector<double> scale(B * T);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < T; ++t) {
      double py = 0, pp = 0;
      for (int64_t j = 0; j < J; ++j)
        for (int64_t c = 0; c < C; ++c) {
          py += at(p, b, t, j, c) * at(y, b, t, j, c);
          pp += at(p, b, t, j, c) * at(p, b, t, j, c);
        }
      scale[b * T + t] = py / pp;
    }
  return mean_joint_error(T, [&](int64_t b, int64_t t, int64_t j, int64_t c) {
    return scale[b * T + t] * at(p, b, t, j, c) - at(y, b, t, j, c);
  });
}

double host_velocity(const Poses& p, const Poses& y) {
  return mean_joint_error(T - 1, [&](int64_t b, int64_t t, int64_t j, int64_t c) {
    return (at(p, b, t + 1, j, c) - at(p, b, t, j, c)) - (at(y, b, t + 1, j, c) - at(y, b, t, j, c));
  });
}

Poses random_poses(uint64_t seed) {
  Generator generator(seed);
  Poses poses(B * T * J * C);
  for (double& v : poses) v = generator.uniform(-1.0f, 1.0f);
  return poses;
}

Tensor to_tensor(const Poses& poses, bool requires_grad) {
  Tensor t = Tensor::from_vector({B, T, J, C}, std::vector<float>(poses.begin(), poses.end()));
  t.set_requires_grad(requires_grad);
  return t;
}

// Checks the value of `loss` and its gradient w.r.t. the prediction against the host function.
void check_against_host(const std::function<Tensor(const Tensor&, const Tensor&)>& loss, const HostLoss& host) {
  const Poses prediction = random_poses(1), target = random_poses(2);
  Tensor p = to_tensor(prediction, true);
  Tensor value = loss(p, to_tensor(target, false));
  BOOST_TEST(value.item() == host(prediction, target), boost::test_tools::tolerance(1e-5));
  value.backward();
  const std::vector<float> gradient = p.grad().to_vector();
  const double h = 1e-6;
  std::vector<double> expected(prediction.size());
  double largest = 0;
  for (size_t i = 0; i < prediction.size(); ++i) {
    Poses plus = prediction, minus = prediction;
    plus[i] += h;
    minus[i] -= h;
    expected[i] = (host(plus, target) - host(minus, target)) / (2 * h);
    largest = std::max(largest, std::abs(expected[i]));
  }
  BOOST_TEST_REQUIRE(largest > 0.0);
  for (size_t i = 0; i < prediction.size(); ++i)
    BOOST_TEST_CONTEXT("element " << i) { BOOST_TEST(std::abs(gradient[i] - expected[i]) < 1e-4 * largest); }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(losses)

BOOST_AUTO_TEST_CASE(mpjpe_matches_host_value_and_gradient) { check_against_host(mpjpe_loss, host_mpjpe); }

BOOST_AUTO_TEST_CASE(n_mpjpe_matches_host_value_and_gradient_through_the_scale) {
  check_against_host(n_mpjpe_loss, host_n_mpjpe);
}

BOOST_AUTO_TEST_CASE(velocity_matches_host_value_and_gradient) { check_against_host(velocity_loss, host_velocity); }

BOOST_AUTO_TEST_CASE(total_is_the_weighted_sum) {
  const Poses prediction = random_poses(3), target = random_poses(4);
  const LossWeights weights{0.5, 20.0};
  const LossTerms terms = training_loss(to_tensor(prediction, false), to_tensor(target, false), weights);
  const double expected = host_mpjpe(prediction, target) + 0.5 * host_n_mpjpe(prediction, target) +
                          20.0 * host_velocity(prediction, target);
  BOOST_TEST(terms.total.item() == expected, boost::test_tools::tolerance(1e-5));
}

BOOST_AUTO_TEST_CASE(n_mpjpe_is_zero_for_a_scaled_copy_of_the_target) {
  const Poses target = random_poses(5);
  Poses prediction = target;
  for (double& v : prediction) v *= 0.3;
  BOOST_TEST(n_mpjpe_loss(to_tensor(prediction, false), to_tensor(target, false)).item() < 1e-5);
}

BOOST_AUTO_TEST_CASE(mismatched_shapes_are_rejected) {
  const Tensor a = Tensor::zeros({1, 2, 17, 3}), b = Tensor::zeros({1, 3, 17, 3});
  BOOST_CHECK_THROW(mpjpe_loss(a, b), ShapeError);
  BOOST_CHECK_THROW(training_loss(Tensor::zeros({2, 17, 3}), Tensor::zeros({2, 17, 3}), {}), ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf::training
