#include "evaluation/poses.h"

#include <stdexcept>

namespace kasf::eval {

void check_shape(const Poses& poses, const std::string& what) {
  if (poses.frames < 0 || poses.xyz.size() != static_cast<size_t>(poses.frames * kJoints * 3))
    throw std::invalid_argument(what + ": " + std::to_string(poses.xyz.size()) + " values are not " +
                                std::to_string(poses.frames) + " frames x 17 joints x 3");
}

void check_same_shape(const Poses& prediction, const Poses& truth) {
  check_shape(prediction, "prediction");
  check_shape(truth, "ground truth");
  if (prediction.frames != truth.frames)
    throw std::invalid_argument("prediction has " + std::to_string(prediction.frames) + " frames, ground truth " +
                                std::to_string(truth.frames));
}

}  // namespace kasf::eval
