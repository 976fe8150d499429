#include "evaluation/kinematics/curve_normalisation.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace kasf::eval {

std::vector<double> forward_fill(std::span<const double> series) {
  const auto first_valid = std::find_if(series.begin(), series.end(), [](double v) { return !std::isnan(v); });
  if (first_valid == series.end()) throw std::invalid_argument("forward_fill: the series has no valid value");
  std::vector<double> out(series.begin(), series.end());
  double last = *first_valid;
  for (double& v : out) {
    if (std::isnan(v))
      v = last;
    else
      last = v;
  }
  return out;
}

std::vector<double> min_max_normalise(std::span<const double> series) {
  if (series.empty()) return {};
  const auto [lo, hi] = std::minmax_element(series.begin(), series.end());
  const double range = *hi - *lo;
  std::vector<double> out;
  for (double v : series) out.push_back(range > 0 ? (v - *lo) / range : 0.0);
  return out;
}

std::vector<double> time_normalise(std::span<const double> series, int points) {
  if (series.empty() || points < 2)
    throw std::invalid_argument("time_normalise: " + std::to_string(series.size()) + " samples to " +
                                std::to_string(points) + " points");
  std::vector<double> out;
  const double last = static_cast<double>(series.size() - 1);
  for (int i = 0; i < points; ++i) {
    const double position = last * i / (points - 1);
    const size_t left = std::min(static_cast<size_t>(position), series.size() - 1);
    const size_t right = std::min(left + 1, series.size() - 1);
    const double w = position - static_cast<double>(left);
    out.push_back(series[left] * (1 - w) + series[right] * w);
  }
  return out;
}

}  // namespace kasf::eval
