#include "evaluation/skeleton.h"

#include <array>
#include <stdexcept>

namespace kasf::eval {

const std::string& joint_name(int64_t joint) {
  static const std::array<std::string, kJoints> names = {
      "Pelvis", "RHip",   "RKnee", "RAnkle", "LHip",      "LKnee",  "LAnkle", "Spine",  "Thorax",
      "Neck",   "Head",   "LShoulder", "LElbow", "LWrist", "RShoulder", "RElbow", "RWrist"};
  if (joint < 0 || joint >= kJoints) throw std::out_of_range("joint " + std::to_string(joint) + " is not in 0..16");
  return names[joint];
}

std::span<const int64_t> lower_body_joints() {
  static constexpr std::array<int64_t, 6> joints = {1, 2, 3, 4, 5, 6};
  return joints;
}

std::span<const int64_t> upper_body_joints() {
  static constexpr std::array<int64_t, 10> joints = {7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  return joints;
}

}  // namespace kasf::eval
