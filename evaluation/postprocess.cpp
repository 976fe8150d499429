#include "evaluation/postprocess.h"

#include <stdexcept>
#include <string>

namespace kasf::eval {

Poses prediction_to_mm(const Poses& normalised, double image_width, std::span<const float> factor) {
  check_shape(normalised, "prediction");
  if (factor.size() != static_cast<size_t>(normalised.frames))
    throw std::invalid_argument("prediction_to_mm: " + std::to_string(factor.size()) + " 2.5D factors for " +
                                std::to_string(normalised.frames) + " frames");
  if (!(image_width > 0)) throw std::invalid_argument("prediction_to_mm: image width " + std::to_string(image_width));
  Poses out = normalised;
  for (int64_t t = 0; t < out.frames; ++t) {
    const double scale = image_width / 2 * factor[t];
    for (int64_t j = 0; j < kJoints; ++j)
      for (int c = 0; c < 3; ++c) out.joint(t, j)[c] = j == 0 ? 0.0f : static_cast<float>(normalised.joint(t, j)[c] * scale);
  }
  return out;
}

Poses root_relative(const Poses& poses) {
  check_shape(poses, "poses");
  Poses out = poses;
  for (int64_t t = 0; t < out.frames; ++t)
    for (int64_t j = 0; j < kJoints; ++j)
      for (int c = 0; c < 3; ++c) out.joint(t, j)[c] = poses.joint(t, j)[c] - poses.joint(t, 0)[c];
  return out;
}

}  // namespace kasf::eval
