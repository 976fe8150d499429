// CpuBackend::adamw: torch.optim.AdamW's update in its exact order of operations, one element at a
// time (every element is independent, so the loop vectorises and splits across threads freely).
#include <cmath>

#include "framework/cpu/cpu_backend.h"

namespace kasf {

void CpuBackend::adamw(float* param, const float* grad, float* exp_avg, float* exp_avg_sq, int64_t count,
                       const AdamWStep& step) {
  // The scalars PyTorch hands its float32 kernels: computed in float64, then rounded.
  const auto f32 = [](double x) { return static_cast<float>(x); };
  const float decay = f32(1.0 - step.lr * step.weight_decay);
  const float beta1 = f32(step.beta1), one_minus_beta1 = f32(1.0 - step.beta1);
  const float beta2 = f32(step.beta2), one_minus_beta2 = f32(1.0 - step.beta2);
  const float step_size = f32(step.lr / step.bias_correction1);
  const float bias_correction2_sqrt = f32(std::sqrt(step.bias_correction2));
  const float eps = f32(step.eps);
#pragma omp parallel for simd if (count > kParallelGrain)
  for (int64_t i = 0; i < count; ++i) {
    const float g = grad[i];
    const float m = exp_avg[i] * beta1 + one_minus_beta1 * g;
    const float v = exp_avg_sq[i] * beta2 + one_minus_beta2 * g * g;
    const float denom = std::sqrt(v) / bias_correction2_sqrt + eps;
    exp_avg[i] = m;
    exp_avg_sq[i] = v;
    param[i] = param[i] * decay - step_size * m / denom;
  }
}

}  // namespace kasf
