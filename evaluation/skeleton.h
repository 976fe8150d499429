// The H36M-17 skeleton as the evaluation reports it (spec 5.1): joint names and the body parts
// the official logs average over.
#pragma once
#include <cstdint>
#include <span>
#include <string>

namespace kasf::eval {

inline constexpr int64_t kJoints = 17;

// Standard H36M names: "Pelvis", "RHip", ..., "RWrist"; throws std::out_of_range outside 0..16.
const std::string& joint_name(int64_t joint);

// Joints 1..6 (legs) and 7..16 (spine, head, arms); the root is in neither.
std::span<const int64_t> lower_body_joints();
std::span<const int64_t> upper_body_joints();

}  // namespace kasf::eval
