// The fused AdamW update: one pass over parameter, gradient and both moments (framework/adamw_update.h).
#pragma once
#include "framework/adamw_update.h"
#include "framework/cuda/kernels/indexing.cuh"

namespace kasf::KASF_CUDA_NS {

__global__ void adamw_kernel(float* param, const float* grad, float* exp_avg, float* exp_avg_sq, int64_t count,
                             AdamWConstants k) {
  for (int64_t i = global_thread(); i < count; i += grid_threads())
    adamw_element(param[i], grad[i], exp_avg[i], exp_avg_sq[i], k);
}

}  // namespace kasf::KASF_CUDA_NS
