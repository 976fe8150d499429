// Per-frame pose errors of one clip (spec 7 step 4), on millimetre, root-relative poses.
#pragma once
#include <vector>

#include "evaluation/poses.h"

namespace kasf::eval {

struct ClipErrors {
  std::vector<double> mpjpe;         // per frame: mean joint distance (protocol 1)
  std::vector<double> joint_errors;  // frames x 17 joint distances
  std::vector<double> p_mpjpe;       // per frame: after similarity Procrustes (protocol 2)
  std::vector<double> n_mpjpe;       // per frame: after the least-squares scale of the prediction
  std::vector<double> acceleration;  // frames - 2 values (none for clips under 3 frames)
};

// Throws std::invalid_argument when the shapes or frame counts differ.
ClipErrors evaluate_clip(const Poses& prediction, const Poses& truth);

// N-MPJPE of one frame (17 x 3 values): the prediction scaled by
// s = sum_j <g_j, p_j> / sum_j |p_j|^2 (the scale minimising the squared error, as in the
// N-MPJPE training loss), then the mean joint distance.
double scale_normalised_error(const float* prediction, const float* truth);

// Acceleration error: for t = 0 .. frames-3, the mean over joints of
// |(P_t - 2 P_t+1 + P_t+2) - (G_t - 2 G_t+1 + G_t+2)|, in units per frame^2.
std::vector<double> acceleration_errors(const Poses& prediction, const Poses& truth);

}  // namespace kasf::eval
