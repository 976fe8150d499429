#include "training/loss_accumulator.h"

#include <cmath>

#include "framework/autograd.h"
#include "framework/ops.h"

namespace kasf::training {

LossAccumulator::LossAccumulator(Device device) : device_(device), device_sums_(Tensor::zeros({4}, device)) {}

void LossAccumulator::restore(const LossSums& sums) {
  reset();
  host_ = sums;
}

void LossAccumulator::add(const Tensor& means, int64_t samples, int64_t epoch, int64_t step) {
  NoGradGuard no_grad;
  device_sums_ = kasf::add(device_sums_, mul_scalar(means, static_cast<float>(samples)));
  totals_.push_back(slice(means, 0, 3, 4));
  steps_.emplace_back(epoch, step);
  host_.samples += samples;
}

void LossAccumulator::flush() {
  if (totals_.empty()) return;
  std::vector<Tensor> parts{device_sums_};
  parts.insert(parts.end(), totals_.begin(), totals_.end());
  const std::vector<float> values = concat(parts, 0).to_vector();
  host_.mpjpe += values[0];
  host_.n_mpjpe += values[1];
  host_.velocity += values[2];
  host_.total += values[3];
  for (size_t i = 0; i < steps_.size() && !non_finite_; ++i)
    if (!std::isfinite(values[4 + i])) non_finite_ = NonFiniteLoss{steps_[i].first, steps_[i].second, values[4 + i]};
  device_sums_ = Tensor::zeros({4}, device_);
  totals_.clear();
  steps_.clear();
}

void LossAccumulator::reset() {
  device_sums_ = Tensor::zeros({4}, device_);
  totals_.clear();
  steps_.clear();
  host_ = LossSums{};
}

}  // namespace kasf::training
