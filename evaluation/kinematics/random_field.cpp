#include "evaluation/kinematics/random_field.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "evaluation/kinematics/student_t.h"

namespace kasf::eval {

double estimate_fwhm(const Curves& r) {
  if (r.count < 2 || r.nodes < 2)
    throw std::invalid_argument("estimate_fwhm: needs at least 2 curves of 2 nodes, got " + std::to_string(r.count) +
                                " x " + std::to_string(r.nodes));
  double density_sum = 0;
  int64_t used = 0;
  for (int64_t q = 0; q < r.nodes; ++q) {
    const int64_t left = std::max<int64_t>(q - 1, 0), right = std::min(q + 1, r.nodes - 1);
    double derivative_power = 0, power = 0;
    for (int64_t j = 0; j < r.count; ++j) {
      const double derivative = (r.at(j, right) - r.at(j, left)) / static_cast<double>(right - left);
      derivative_power += derivative * derivative;
      power += r.at(j, q) * r.at(j, q);
    }
    if (power <= 0) continue;
    density_sum += std::sqrt(derivative_power / power / (4 * std::numbers::ln2));
    ++used;
  }
  if (used == 0 || density_sum <= 0) throw std::invalid_argument("estimate_fwhm: the residuals have no variance");
  return static_cast<double>(used) / density_sum;
}

double rft_t_max_survival(double u, double df, int64_t nodes, double fwhm) {
  if (!(df > 0) || nodes < 2 || !(fwhm > 0))
    throw std::invalid_argument("rft: df " + std::to_string(df) + ", nodes " + std::to_string(nodes) + ", FWHM " +
                                std::to_string(fwhm));
  const double tail = student_t_survival(u, df);
  const double resels = static_cast<double>(nodes - 1) / fwhm;
  const double ec_density_1d =
      std::sqrt(4 * std::numbers::ln2) / (2 * std::numbers::pi) * std::pow(1 + u * u / df, -(df - 1) / 2);
  const double expected_euler = tail + resels * ec_density_1d;
  return std::min({expected_euler, static_cast<double>(nodes) * tail, 1.0});
}

double rft_t_threshold(double alpha, double df, int64_t nodes, double fwhm) {
  if (!(alpha > 0 && alpha < 1)) throw std::invalid_argument("rft threshold: alpha " + std::to_string(alpha));
  double lo = 0, hi = 1;
  while (rft_t_max_survival(hi, df, nodes, fwhm) > alpha) {
    hi *= 2;
    if (hi > 1e6) throw std::invalid_argument("rft threshold: no finite threshold for alpha " + std::to_string(alpha));
  }
  for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {
    const double mid = (lo + hi) / 2;
    (rft_t_max_survival(mid, df, nodes, fwhm) > alpha ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

}  // namespace kasf::eval
