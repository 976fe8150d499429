// The branch-free approximations of framework/fast_math.h that both backends use in place of the
// C library (tanh, GELU's normal CDF, softmax's exp), against double-precision references over
// logarithmic sweeps of both signs: the stated tolerances of framework/unary_ops.h.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "framework/fast_math.h"

using namespace kasf;

namespace {

// 0, then magnitudes from 1e-8 to `largest`, 64 per decade, with both signs.
std::vector<float> sweep(double largest) {
  std::vector<float> xs = {0.0f};
  for (double m = 1e-8; m <= largest; m *= std::pow(10.0, 1.0 / 64.0)) {
    xs.push_back(static_cast<float>(m));
    xs.push_back(static_cast<float>(-m));
  }
  return xs;
}

// The worst |approx - exact| / |exact| over xs (an exact 0 must be matched exactly).
template <class Approx, class Exact>
double worst_relative_error(const std::vector<float>& xs, Approx approx, Exact exact, std::string& where) {
  double worst = 0.0;
  for (const float x : xs) {
    const double want = exact(static_cast<double>(x)), got = approx(x);
    const double error = want == 0.0 ? (got == 0.0 ? 0.0 : INFINITY) : std::fabs(got - want) / std::fabs(want);
    if (!(error <= worst)) {
      worst = std::isnan(error) ? INFINITY : error;
      where = "x = " + std::to_string(x) + ": " + std::to_string(got) + ", exact " + std::to_string(want);
    }
  }
  return worst;
}

constexpr double kUlp = 1.0 / (1 << 23);  // float32's spacing relative to a value, at most

}  // namespace

BOOST_AUTO_TEST_SUITE(fast_math)

BOOST_AUTO_TEST_CASE(tanh_is_within_four_ulps_down_to_tiny_arguments) {
  std::string where;
  const double worst = worst_relative_error(sweep(60.0), tanh_approx, [](double x) { return std::tanh(x); }, where);
  BOOST_TEST_MESSAGE("tanh: worst relative error " << worst / kUlp << " ulps at " << where);
  BOOST_TEST(worst <= 4 * kUlp, where);
  BOOST_TEST(std::signbit(tanh_approx(-0.0f)));
  BOOST_TEST(!std::signbit(tanh_approx(0.0f)));
  BOOST_TEST(std::isnan(tanh_approx(NAN)));
}

BOOST_AUTO_TEST_CASE(expm1_keeps_its_relative_accuracy_near_zero) {
  std::vector<float> xs;
  for (const float x : sweep(80.0))
    if (x <= 0.0f) xs.push_back(x);
  std::string where;
  const double worst = worst_relative_error(xs, expm1_nonpositive, [](double x) { return std::expm1(x); }, where);
  BOOST_TEST_MESSAGE("expm1: worst relative error " << worst / kUlp << " ulps at " << where);
  BOOST_TEST(worst <= 4 * kUlp, where);
}

BOOST_AUTO_TEST_CASE(exp_and_gelu_are_within_their_stated_tolerances) {
  std::vector<float> nonpositive;
  for (const float x : sweep(80.0))
    if (x <= 0.0f) nonpositive.push_back(x);
  std::string where;
  double worst = worst_relative_error(nonpositive, exp_nonpositive, [](double x) { return std::exp(x); }, where);
  BOOST_TEST_MESSAGE("exp: worst relative error " << worst / kUlp << " ulps at " << where);
  BOOST_TEST(worst <= 4 * kUlp, where);
  // GELU = x Phi(x): the normal tail's fit has a fractional error below 4.3e-8, plus rounding, and
  // the rounding of z^2 inside its exp grows with z: the sweep stops at |x| = 4, where the lower
  // tail's GELU is -1.3e-4 and beyond which its absolute error is below 1e-9.
  worst = worst_relative_error(
      sweep(4.0), [](float x) { return x * normal_cdf(x); },
      [](double x) { return 0.5 * x * std::erfc(-x / std::sqrt(2.0)); }, where);
  BOOST_TEST_MESSAGE("gelu: worst relative error " << worst / kUlp << " ulps at " << where);
  BOOST_TEST(worst <= 8 * kUlp, where);
}

BOOST_AUTO_TEST_SUITE_END()
