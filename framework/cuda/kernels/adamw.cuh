// The fused AdamW update: one pass over parameter, gradient and both moments, in the order of
// operations of torch.optim.AdamW (as the CPU backend).
#pragma once
#include "framework/cuda/kernels/indexing.cuh"

namespace kasf::KASF_CUDA_NS {

// Per-step constants, derived once on the host.
struct AdamWConstants {
  float decay, beta1, beta2, one_minus_beta1, one_minus_beta2, eps, step_size, bias_correction2_sqrt;
};

__global__ void adamw_kernel(float* param, const float* grad, float* exp_avg, float* exp_avg_sq, int64_t count,
                             AdamWConstants k) {
  for (int64_t i = global_thread(); i < count; i += grid_threads()) {
    const float g = grad[i];
    const float m = exp_avg[i] * k.beta1 + k.one_minus_beta1 * g;
    const float v = exp_avg_sq[i] * k.beta2 + k.one_minus_beta2 * g * g;
    const float denom = sqrtf(v) / k.bias_correction2_sqrt + k.eps;
    exp_avg[i] = m;
    exp_avg_sq[i] = v;
    param[i] = param[i] * k.decay - k.step_size * m / denom;
  }
}

}  // namespace kasf::KASF_CUDA_NS
