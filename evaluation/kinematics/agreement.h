// How closely an estimated kinematic series follows the reference one.
#pragma once
#include <span>

namespace kasf::eval {

// Pearson correlation r over paired values; NaN when either side is constant. Throws
// std::invalid_argument when the lengths differ or fewer than two pairs are given.
double pearson_r(std::span<const double> estimate, std::span<const double> reference);

// Root mean square of the differences, in the series' units (degrees, deg/s, mm/s).
double rmse(std::span<const double> estimate, std::span<const double> reference);

}  // namespace kasf::eval
