#include "datasets/flip.h"

#include <array>
#include <stdexcept>
#include <string>
#include <utility>

namespace kasf::data {

int64_t flipped_joint(int64_t j) {
  // Right leg 1-3 <-> left leg 4-6, right arm 14-16 <-> left arm 11-13.
  static constexpr std::array<int64_t, kNumJoints> partner = {0, 4, 5, 6, 1, 2, 3, 7, 8, 9, 10, 14, 15, 16, 11, 12, 13};
  if (j < 0 || j >= kNumJoints) throw std::out_of_range("flipped_joint: joint " + std::to_string(j) + " is not in 0..16");
  return partner[j];
}

void flip_poses(std::span<float> poses, int64_t channels) {
  const int64_t pose_size = kNumJoints * channels;
  if (channels < 1 || poses.size() % pose_size != 0)
    throw std::invalid_argument("flip_poses: " + std::to_string(poses.size()) + " values are not whole poses of 17 joints x " +
                                std::to_string(channels) + " channels");
  for (size_t start = 0; start < poses.size(); start += pose_size) {
    float* pose = poses.data() + start;
    for (int64_t j = 0; j < kNumJoints; ++j) pose[j * channels] = -pose[j * channels];
    for (int64_t j = 0; j < kNumJoints; ++j) {
      const int64_t partner = flipped_joint(j);
      if (partner > j)
        for (int64_t c = 0; c < channels; ++c) std::swap(pose[j * channels + c], pose[partner * channels + c]);
    }
  }
}

}  // namespace kasf::data
