// The training loss of the official code (spec section 8), built from differentiable ops so that the
// gradient comes from autograd. Predictions and targets are (B, T, 17, 3) in normalised units; the
// prediction is not root-zeroed and the target is root-relative, as in the official loop.
#pragma once
#include "framework/tensor.h"

namespace kasf::training {

// Mean over (B, T, J) of the Euclidean joint error.
Tensor mpjpe_loss(const Tensor& prediction, const Tensor& target);

// MPJPE after scaling the prediction per frame by s = sum(P * Y) / sum(P * P) over joints and
// coordinates: the least-squares scale. The gradient flows through s and there is no epsilon, as
// officially (an all-zero predicted frame gives NaN).
Tensor n_mpjpe_loss(const Tensor& prediction, const Tensor& target);

// Mean over (B, T - 1, J) of the error of the frame-to-frame displacements; 0 for single frames.
Tensor velocity_loss(const Tensor& prediction, const Tensor& target);

struct LossWeights {
  double n_mpjpe = 0.5;
  double velocity = 20.0;
};

// Every term as a 0-dimensional tensor; `total` = mpjpe + n_mpjpe weight * n_mpjpe + velocity weight * velocity.
struct LossTerms {
  Tensor mpjpe, n_mpjpe, velocity, total;
};

// Throws ShapeError unless both are (B, T, J, 3) of the same shape.
LossTerms training_loss(const Tensor& prediction, const Tensor& target, const LossWeights& weights);

}  // namespace kasf::training
