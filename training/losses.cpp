#include "training/losses.h"

#include "framework/ops.h"

namespace kasf::training {
namespace {

void check_poses(const Tensor& prediction, const Tensor& target, const char* loss) {
  if (prediction.rank() != 4 || prediction.size(-1) != 3 || prediction.shape() != target.shape())
    throw_shape_error(loss, "expects prediction and target of the same shape (B, T, J, 3), got " +
                                to_string(prediction.shape()) + " and " + to_string(target.shape()));
}

// Frame-to-frame displacement along the time axis: x[:, 1:] - x[:, :-1].
Tensor displacement(const Tensor& poses) { return slice(poses, 1, 1, poses.size(1)) - slice(poses, 1, 0, -1); }

}  // namespace

Tensor mpjpe_loss(const Tensor& prediction, const Tensor& target) {
  check_poses(prediction, target, "mpjpe_loss");
  return mean(l2_norm(prediction - target));
}

Tensor n_mpjpe_loss(const Tensor& prediction, const Tensor& target) {
  check_poses(prediction, target, "n_mpjpe_loss");
  const Tensor scale = sum(prediction * target, {2, 3}, true) / sum(prediction * prediction, {2, 3}, true);
  return mean(l2_norm(scale * prediction - target));
}

Tensor velocity_loss(const Tensor& prediction, const Tensor& target) {
  check_poses(prediction, target, "velocity_loss");
  if (prediction.size(1) <= 1) return Tensor::scalar(0.0f, prediction.device());
  return mean(l2_norm(displacement(prediction) - displacement(target)));
}

LossTerms training_loss(const Tensor& prediction, const Tensor& target, const LossWeights& weights) {
  LossTerms terms;
  terms.mpjpe = mpjpe_loss(prediction, target);
  terms.n_mpjpe = n_mpjpe_loss(prediction, target);
  terms.velocity = velocity_loss(prediction, target);
  terms.total = terms.mpjpe + terms.n_mpjpe * static_cast<float>(weights.n_mpjpe) +
                terms.velocity * static_cast<float>(weights.velocity);
  return terms;
}

}  // namespace kasf::training
