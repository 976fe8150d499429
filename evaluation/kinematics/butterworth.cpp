#include "evaluation/kinematics/butterworth.h"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace kasf::eval {
namespace {

// Coefficients of prod_k (1 - r_k z^-1), highest power of z first.
std::vector<std::complex<double>> polynomial_from_roots(const std::vector<std::complex<double>>& roots) {
  std::vector<std::complex<double>> c = {1.0};
  for (const auto& r : roots) {
    c.push_back(0.0);
    for (size_t i = c.size() - 1; i > 0; --i) c[i] -= r * c[i - 1];
  }
  return c;
}

}  // namespace

IirFilter butterworth_lowpass(int order, double cutoff_hz, double sample_rate_hz) {
  if (order < 1) throw std::invalid_argument("Butterworth order must be >= 1, got " + std::to_string(order));
  if (!(cutoff_hz > 0) || !(cutoff_hz < sample_rate_hz / 2))
    throw std::invalid_argument("Butterworth cut-off " + std::to_string(cutoff_hz) + " Hz must lie in (0, " +
                                std::to_string(sample_rate_hz / 2) + ") Hz, the Nyquist band of " +
                                std::to_string(sample_rate_hz) + " Hz data");
  using std::numbers::pi;
  const double two_fs = 2 * sample_rate_hz;
  const double warped = two_fs * std::tan(pi * cutoff_hz / sample_rate_hz);
  std::vector<std::complex<double>> z_poles;
  std::complex<double> analog_to_digital_gain = 1.0;
  for (int k = 1; k <= order; ++k) {
    const std::complex<double> s = warped * std::polar(1.0, pi * (2 * k + order - 1) / (2.0 * order));
    z_poles.push_back((two_fs + s) / (two_fs - s));
    analog_to_digital_gain /= (two_fs - s);
  }
  const double gain = std::pow(warped, order) * analog_to_digital_gain.real();
  const std::vector<std::complex<double>> zeros(order, -1.0);
  IirFilter filter;
  for (const auto& c : polynomial_from_roots(zeros)) filter.b.push_back(gain * c.real());
  for (const auto& c : polynomial_from_roots(z_poles)) filter.a.push_back(c.real());
  return filter;
}

std::complex<double> frequency_response(const IirFilter& filter, double omega) {
  auto evaluate = [&](const std::vector<double>& c) {
    std::complex<double> sum = 0;
    for (size_t k = 0; k < c.size(); ++k) sum += c[k] * std::polar(1.0, -omega * static_cast<double>(k));
    return sum;
  };
  return evaluate(filter.b) / evaluate(filter.a);
}

}  // namespace kasf::eval
