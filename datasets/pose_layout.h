// Poses in the data pipeline are float arrays shaped (..., 17, C), joints in H36M-17 order (spec 5.1).
#pragma once
#include <cstdint>

namespace kasf::data {

inline constexpr int64_t kNumJoints = 17;
// Model inputs are (x, y, confidence) and labels (x, y, z).
inline constexpr int64_t kPoseChannels = 3;

}  // namespace kasf::data
