#include "framework/backend.h"

#include <stdexcept>

#include "framework/cpu/cpu_backend.h"
#include "framework/unary_ops.h"

namespace kasf {

void check_epilogue(const GemmArgs& g) {
  if (g.derivative_at && (g.activated || unary_reads(g.activation).y))
    throw std::invalid_argument(g.activated ? "gemm: an epilogue cannot both activate and apply a derivative"
                                            : "gemm: the derivative epilogue needs an activation whose derivative "
                                              "reads only its input (GELU, ReLU)");
}

#ifdef KASF_WITH_CUDA
Backend& cuda_backend();  // framework/cuda/; throws when no GPU is present
#endif
Backend& emulated_cuda_backend();  // framework/cuda/emulated_runtime.cpp

AttentionStrides attention_blocks(const AttentionGroups& g, int64_t rows, int64_t cols) {
  const int64_t block = rows * cols;
  return {cols, block, g.heads * block, g.inner * g.heads * block};
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
