// Preparing kinematic series for statistical parametric mapping (AthletePose3D t_test.py, step 3).
#pragma once
#include <span>
#include <vector>

namespace kasf::eval {

// NaNs replaced by the last valid value before them (leading NaNs by the first valid value).
// Throws std::invalid_argument when every value is NaN.
std::vector<double> forward_fill(std::span<const double> series);

// (s - min) / (max - min); all zeros for a constant series. Makes tests compare waveform shape only.
std::vector<double> min_max_normalise(std::span<const double> series);

// Linear interpolation of the series (taken as evenly spread over [0, 1]) at `points` evenly spread
// positions, 101 for 0..100 % of the movement.
std::vector<double> time_normalise(std::span<const double> series, int points = 101);

}  // namespace kasf::eval
