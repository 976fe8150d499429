#include "keypoints/flip_augmentation.h"

#include <stdexcept>
#include <utility>

#include "datasets/flip.h"

namespace kasf::keypoints {

ClipPredictor with_flip_augmentation(ClipPredictor predict, int64_t in_channels, int64_t out_channels) {
  return [predict = std::move(predict), in_channels, out_channels](const std::vector<float>& clips, int64_t count) {
    std::vector<float> plain = predict(clips, count);
    std::vector<float> flipped_input = clips;
    data::flip_poses(flipped_input, in_channels);
    std::vector<float> flipped = predict(flipped_input, count);
    if (flipped.size() != plain.size()) throw std::runtime_error("flip augmentation: the two passes differ in size");
    data::flip_poses(flipped, out_channels);
    for (size_t i = 0; i < plain.size(); ++i) plain[i] = (plain[i] + flipped[i]) / 2;
    return plain;
  };
}

}  // namespace kasf::keypoints
