// 2D keypoints of one person over time: (frames, 17, 3) floats = (x px, y px, confidence), in
// either the COCO-17 or the H36M-17 joint order.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace kasf::keypoints {

inline constexpr int64_t kKeypoints = 17;

struct KeypointSequence {
  int64_t frames = 0;
  std::vector<float> values;  // frames * 17 * 3

  float* keypoint(int64_t frame, int64_t j) { return values.data() + (frame * kKeypoints + j) * 3; }
  const float* keypoint(int64_t frame, int64_t j) const { return values.data() + (frame * kKeypoints + j) * 3; }
};

// A sequence from `frames` x 17 x `channels` values: channels 2 means (x, y) with confidence 1,
// channels 3 (x, y, confidence). Throws std::invalid_argument naming `source` for any other shape.
KeypointSequence from_array(const std::vector<float>& values, const std::vector<int64_t>& shape, const std::string& source);

}  // namespace kasf::keypoints
