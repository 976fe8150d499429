#include "reporting/axis_ticks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kasf::reporting {
namespace {

// `value` with `decimals` decimals; + 0.0 turns -0 into 0.
std::string fixed(double value, int decimals) {
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", std::max(0, decimals), value + 0.0);
  return text;
}

// A log-axis label: plain decimals between 0.001 and 10^6, else "2e-05" style.
std::string log_label(double value) {
  if (value >= 1e-3 && value < 1e6) return fixed(value, static_cast<int>(std::ceil(-std::log10(value) - 1e-9)));
  char text[48];
  std::snprintf(text, sizeof text, "%.0e", value);
  return text;
}

}  // namespace

AxisTicks linear_ticks(double data_low, double data_high, int target, double min_step) {
  if (data_low > data_high) { data_low = 0; data_high = 1; }
  if (data_high - data_low < 1e-12 * std::max(1.0, std::abs(data_high))) {
    data_low -= 0.5;
    data_high += 0.5;
  }
  const double rough = (data_high - data_low) / std::max(1, target);
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  double step = 10 * power;
  for (double m : {1.0, 2.0, 5.0})
    if (m * power >= rough) { step = m * power; break; }
  step = std::max(step, min_step);
  AxisTicks ticks;
  const long long first = static_cast<long long>(std::floor(data_low / step + 1e-9));
  const long long last = static_cast<long long>(std::ceil(data_high / step - 1e-9));
  ticks.step = step;
  ticks.low = first * step;
  ticks.high = last * step;
  const int decimals = static_cast<int>(std::max(0.0, -std::floor(std::log10(step) + 1e-9)));
  for (long long i = first; i <= last; ++i) {
    ticks.values.push_back(i * step);
    ticks.labels.push_back(fixed(i * step, decimals));
  }
  return ticks;
}

AxisTicks log_ticks(double data_low, double data_high) {
  if (!(data_low > 0) || data_low > data_high) { data_low = 1; data_high = 10; }
  const int first = static_cast<int>(std::floor(std::log10(data_low) + 1e-9));
  int last = static_cast<int>(std::ceil(std::log10(data_high) - 1e-9));
  if (last == first) ++last;
  AxisTicks ticks;
  ticks.low = std::pow(10.0, first);
  ticks.high = std::pow(10.0, last);
  const bool fine = last - first <= 2;
  for (int e = first; e <= last; ++e)
    for (double m : {1.0, 2.0, 5.0}) {
      if ((m != 1 && !fine) || (e == last && m != 1)) continue;
      const double value = m * std::pow(10.0, e);
      ticks.values.push_back(value);
      ticks.labels.push_back(log_label(value));
    }
  return ticks;
}

}  // namespace kasf::reporting
