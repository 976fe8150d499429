#include "evaluation/kinematics/zero_phase_filter.h"

#include <algorithm>
#include <stdexcept>

namespace kasf::eval {
namespace {

// Direct form II transposed, starting from `state` (len(a) - 1 values), as scipy.signal.lfilter.
std::vector<double> run_filter(const IirFilter& f, const std::vector<double>& x, std::vector<double> state) {
  const size_t n = f.a.size() - 1;
  std::vector<double> y(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    y[i] = f.b[0] * x[i] + (n > 0 ? state[0] : 0.0);
    for (size_t k = 0; k < n; ++k)
      state[k] = f.b[k + 1] * x[i] - f.a[k + 1] * y[i] + (k + 1 < n ? state[k + 1] : 0.0);
  }
  return y;
}

// The state the filter settles in for a constant input of 1: output sum(b)/sum(a) (its DC gain).
std::vector<double> steady_state(const IirFilter& f) {
  const size_t n = f.a.size() - 1;
  double sum_b = 0, sum_a = 0;
  for (double v : f.b) sum_b += v;
  for (double v : f.a) sum_a += v;
  const double dc = sum_b / sum_a;
  std::vector<double> state(n);
  for (size_t k = n; k-- > 0;) state[k] = f.b[k + 1] - f.a[k + 1] * dc + (k + 1 < n ? state[k + 1] : 0.0);
  return state;
}

std::vector<double> scaled(const std::vector<double>& v, double k) {
  std::vector<double> out = v;
  for (double& x : out) x *= k;
  return out;
}

}  // namespace

std::vector<double> zero_phase_filter(const IirFilter& filter, std::span<const double> series) {
  if (filter.a.empty() || filter.a[0] != 1.0 || filter.b.size() != filter.a.size())
    throw std::invalid_argument("zero_phase_filter: needs a[0] = 1 and as many b as a coefficients");
  const size_t n = series.size();
  if (n < 2) return {series.begin(), series.end()};
  const size_t padlen = std::min(3 * filter.a.size(), n - 1);

  std::vector<double> extended;
  extended.reserve(n + 2 * padlen);
  for (size_t k = padlen; k >= 1; --k) extended.push_back(2 * series[0] - series[k]);
  extended.insert(extended.end(), series.begin(), series.end());
  for (size_t k = 1; k <= padlen; ++k) extended.push_back(2 * series[n - 1] - series[n - 1 - k]);

  const std::vector<double> zi = steady_state(filter);
  std::vector<double> forward = run_filter(filter, extended, scaled(zi, extended.front()));
  std::reverse(forward.begin(), forward.end());
  std::vector<double> backward = run_filter(filter, forward, scaled(zi, forward.front()));
  std::reverse(backward.begin(), backward.end());
  return {backward.begin() + static_cast<std::ptrdiff_t>(padlen), backward.end() - static_cast<std::ptrdiff_t>(padlen)};
}

std::vector<double> lowpass_8hz(std::span<const double> series, double fps) {
  return zero_phase_filter(butterworth_lowpass(4, 8.0, fps), series);
}

}  // namespace kasf::eval
