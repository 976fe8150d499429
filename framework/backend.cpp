#include "framework/backend.h"

#include <stdexcept>

#include "framework/cpu/cpu_backend.h"
#include "framework/unary_ops.h"

namespace kasf {

void check_epilogue(const GemmArgs& g) {
  if (!g.derivative_at) return;
  if (unary_reads(g.activation).y)
    throw std::invalid_argument("gemm: the derivative epilogue needs an activation whose derivative reads only its "
                                "input (GELU, ReLU)");
  if (g.activated == g.c)
    throw std::invalid_argument("gemm: the derivative epilogue writes the recomputed activation to another buffer "
                                "than C");
}

#ifdef KASF_WITH_CUDA
Backend& cuda_backend();  // framework/cuda/; throws when no GPU is present
#endif
Backend& emulated_cuda_backend();  // framework/cuda/emulated_runtime.cpp

AttentionStrides attention_blocks(const AttentionGroups& g, int64_t rows, int64_t cols) {
  const int64_t block = rows * cols;
  return {cols, block, g.heads * block, g.inner * g.heads * block};
}

GemmArgs gemm_product(GemmArgs g, int64_t o, int64_t b) {
  g.a += o * g.outer_stride_a + b * g.stride_a;
  g.b += o * g.outer_stride_b + b * g.stride_b;
  const int64_t c_offset = o * g.outer_stride_c + b * g.stride_c;
  g.c += c_offset;
  if (g.activated) g.activated += c_offset;
  if (g.derivative_at) g.derivative_at += c_offset;
  return g;
}

Backend& backend_for(Device device) {
  if (device == Device::CPU) return cpu_backend();
  if (device == Device::EmulatedCuda) return emulated_cuda_backend();
#ifdef KASF_WITH_CUDA
  return cuda_backend();
#else
  throw std::runtime_error("this build of kasf has no CUDA backend (nvcc was not found when it was configured)");
#endif
}

}  // namespace kasf
