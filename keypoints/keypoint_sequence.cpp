#include "keypoints/keypoint_sequence.h"

#include <stdexcept>

namespace kasf::keypoints {
namespace {

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + ")";
}

}  // namespace

KeypointSequence from_array(const std::vector<float>& values, const std::vector<int64_t>& shape, const std::string& source) {
  if (shape.size() != 3 || shape[1] != kKeypoints || (shape[2] != 2 && shape[2] != 3))
    throw std::invalid_argument(source + ": keypoints of shape " + shape_text(shape) +
                                ", expected (frames, 17, 2) or (frames, 17, 3)");
  if (shape[0] == 0) throw std::invalid_argument(source + ": no frames");
  const int64_t channels = shape[2];
  KeypointSequence out{shape[0], std::vector<float>(shape[0] * kKeypoints * 3, 1.0f)};
  for (int64_t i = 0; i < shape[0] * kKeypoints; ++i)
    for (int64_t c = 0; c < channels; ++c) out.values[i * 3 + c] = values[i * channels + c];
  return out;
}

}  // namespace kasf::keypoints
