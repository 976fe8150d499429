// Tick values a person reads at a glance: 1, 2 or 5 times a power of ten on linear axes (0, 20,
// 40, ... not 0, 16.7, 33.3), whole decades on log axes (with 2 and 5 in between when the axis
// spans at most two decades), and labels with exactly the decimals the step needs.
#pragma once
#include <string>
#include <vector>

namespace kasf::reporting {

struct AxisTicks {
  double low = 0, high = 1;   // the axis range: the data's range widened to the outer ticks
  double step = 0;            // linear axes: between neighbouring ticks
  std::vector<double> values;  // ascending, inside [low, high]
  std::vector<std::string> labels;
};

// About `target` ticks covering [data_low, data_high]; a single value or an empty range (low >
// high) gets a unit-wide axis around it (around 0..1 when empty). `min_step` (a round number, e.g.
// 1 for counts) bounds the step from below.
AxisTicks linear_ticks(double data_low, double data_high, int target = 5, double min_step = 0);
// For positive data; ticks and range are the values themselves (not their logarithms).
AxisTicks log_ticks(double data_low, double data_high);

}  // namespace kasf::reporting
