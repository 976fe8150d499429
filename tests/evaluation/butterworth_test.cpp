// The 8 Hz 4th-order Butterworth low-pass and zero-phase filtering: against the analytic response of
// a bilinear-transform Butterworth filter and against scipy (committed reference values).
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "evaluation/kinematics/zero_phase_filter.h"
#include "reference_file.h"

namespace kasf::eval {
namespace {

using std::numbers::pi;

// |H(w)|^2 of an order-n bilinear Butterworth low-pass with cut-off wc (rad/sample):
// 1 / (1 + (tan(w/2) / tan(wc/2))^(2n)).
double analytic_power(double omega, double cutoff, int order) {
  return 1 / (1 + std::pow(std::tan(omega / 2) / std::tan(cutoff / 2), 2 * order));
}

BOOST_AUTO_TEST_SUITE(butterworth)

BOOST_AUTO_TEST_CASE(magnitude_response_is_the_analytic_one) {
  for (double fs : {30.0, 50.0, 120.0, 240.0}) {
    const IirFilter f = butterworth_lowpass(4, 8, fs);
    const double cutoff = 2 * pi * 8 / fs;
    for (double hz : {0.0, 1.0, 4.0, 8.0, 10.0, 14.0}) {
      if (hz >= fs / 2) continue;
      const double omega = 2 * pi * hz / fs;
      const double power = std::norm(frequency_response(f, omega));
      BOOST_TEST(power == analytic_power(omega, cutoff, 4), boost::test_tools::tolerance(1e-9));
      // filtfilt applies the filter twice: |H|^4, half power (|H|^2 = 1/2 -> 1/4) at the cut-off.
      if (hz == 8.0) BOOST_TEST(power * power == 0.25, boost::test_tools::tolerance(1e-9));
    }
  }
}

BOOST_AUTO_TEST_CASE(coefficients_match_scipy) {
  const auto records = test::records_named("butter");
  BOOST_REQUIRE(records.size() == 2u);
  for (const auto& r : records) {
    const IirFilter f = butterworth_lowpass(4, 8, r.values[0]);
    for (int k = 0; k < 5; ++k) {
      BOOST_TEST(f.b[k] == r.values[1 + k], boost::test_tools::tolerance(1e-9));
      BOOST_TEST(f.a[k] == r.values[6 + k], boost::test_tools::tolerance(1e-9));
    }
  }
}

BOOST_AUTO_TEST_CASE(zero_phase_output_matches_scipy_filtfilt) {
  const auto& input = test::first_record("filtfilt_input");
  const auto& expected = test::first_record("filtfilt_output");
  const std::vector<double> x(input.values.begin() + 1, input.values.end());
  const std::vector<double> y = lowpass_8hz(x, input.values[0]);
  BOOST_REQUIRE(y.size() == expected.values.size());
  for (size_t i = 0; i < y.size(); ++i) BOOST_TEST(y[i] == expected.values[i], boost::test_tools::tolerance(1e-8));
}

BOOST_AUTO_TEST_CASE(sinusoids_keep_their_phase_and_lose_amplitude_by_h_squared) {
  const double fs = 100;
  const IirFilter f = butterworth_lowpass(4, 8, fs);
  for (double hz : {2.0, 8.0, 12.0}) {
    std::vector<double> x;
    for (int i = 0; i < 2000; ++i) x.push_back(std::sin(2 * pi * hz * i / fs + 0.3));
    const std::vector<double> y = zero_phase_filter(f, x);
    const double gain = std::norm(frequency_response(f, 2 * pi * hz / fs));  // |H|^2, zero phase
    for (int i = 800; i < 1200; ++i) BOOST_TEST(std::abs(y[i] - gain * x[i]) < 1e-6);
  }
}

BOOST_AUTO_TEST_CASE(short_series_and_bad_rates) {
  const std::vector<double> constant(5, 3.0);  // shorter than scipy's padding: padded less
  for (double v : lowpass_8hz(constant, 60)) BOOST_TEST(v == 3.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(lowpass_8hz(std::vector<double>{4.0}, 60).front() == 4.0);
  BOOST_CHECK_THROW(butterworth_lowpass(4, 8, 16), std::invalid_argument);  // 8 Hz is Nyquist
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::eval
