// A sequence of 3D H36M-17 poses on the host: (frames, 17, 3) floats, row-major.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "evaluation/skeleton.h"

namespace kasf::eval {

struct Poses {
  int64_t frames = 0;
  std::vector<float> xyz;  // frames * 17 * 3

  const float* joint(int64_t frame, int64_t j) const { return xyz.data() + (frame * kJoints + j) * 3; }
  float* joint(int64_t frame, int64_t j) { return xyz.data() + (frame * kJoints + j) * 3; }
};

// Throws std::invalid_argument naming `what` unless xyz holds exactly frames * 17 * 3 values.
void check_shape(const Poses& poses, const std::string& what);
// Also requires equal frame counts ("prediction has 26 frames, ground truth 27").
void check_same_shape(const Poses& prediction, const Poses& truth);

}  // namespace kasf::eval
