// Point sequences (poses, keypoints) as the JSON the pages read: frames x points x channels
// numbers, rounded so that pages stay small.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>

namespace kasf::reporting {

// The largest finite |value| (the extent of root-relative poses), 1 when there is none or it is 0.
double largest_magnitude(std::span<const float> values);

// A rounding step 10^-4 of `extent` (a power of ten): far below a pixel at any zoom the pages offer.
double rounding_step(double extent);

// [[[c0, c1, ...] per point] per frame] from frames * points * channels values; non-finite values
// become null.
nlohmann::ordered_json point_frames(const float* values, int64_t frames, int64_t points, int channels, double step);

}  // namespace kasf::reporting
