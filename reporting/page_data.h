// Point sequences (poses, keypoints) as the JSON the pages read: frames x points x channels
// numbers, rounded so that pages stay small.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>

namespace kasf::reporting {

// A rounding step 10^-4 of `extent` (a power of ten): far below a pixel at any zoom the pages offer.
double rounding_step(double extent);

// [[[c0, c1, ...] per point] per frame] from frames * points * channels values; non-finite values
// become null.
nlohmann::ordered_json point_frames(const float* values, int64_t frames, int64_t points, int channels, double step);

}  // namespace kasf::reporting
