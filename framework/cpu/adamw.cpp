// CpuBackend::adamw: every element is independent, so the loop vectorises and splits across
// threads freely.
#include "framework/adamw_update.h"
#include "framework/cpu/cpu_backend.h"

namespace kasf {

void CpuBackend::adamw(float* param, const float* grad, float* exp_avg, float* exp_avg_sq, int64_t count,
                       const AdamWStep& step) {
  const AdamWConstants k = adamw_constants(step);
  cpu::parallel_for(count, cpu::kParallelGrain, [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) adamw_element(param[i], grad[i], exp_avg[i], exp_avg_sq[i], k);
  });
}

}  // namespace kasf
