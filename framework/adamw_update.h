// One element of torch.optim.AdamW's update, in its exact order of operations: the arithmetic the
// CPU loop and the CUDA kernel share.
#pragma once
#include <math.h>

#include "framework/backend.h"
#include "framework/host_device.h"

namespace kasf {

// Per-step constants, derived once on the host.
struct AdamWConstants {
  float decay, beta1, beta2, one_minus_beta1, one_minus_beta2, eps, step_size, bias_correction2_sqrt;
};

// The scalars PyTorch hands its float32 kernels: computed in float64, then rounded.
inline AdamWConstants adamw_constants(const AdamWStep& step) {
  const auto f32 = [](double x) { return static_cast<float>(x); };
  return {f32(1.0 - step.lr * step.weight_decay), f32(step.beta1),       f32(step.beta2),
          f32(1.0 - step.beta1),                   f32(1.0 - step.beta2), f32(step.eps),
          f32(step.lr / step.bias_correction1),    f32(sqrt(step.bias_correction2))};
}

KASF_HOST_DEVICE inline void adamw_element(float& param, float grad, float& exp_avg, float& exp_avg_sq,
                                           const AdamWConstants& k) {
  const float m = exp_avg * k.beta1 + k.one_minus_beta1 * grad;
  const float v = exp_avg_sq * k.beta2 + k.one_minus_beta2 * grad * grad;
  const float denom = sqrtf(v) / k.bias_correction2_sqrt + k.eps;
  exp_avg = m;
  exp_avg_sq = v;
  param = param * k.decay - k.step_size * m / denom;
}

}  // namespace kasf
