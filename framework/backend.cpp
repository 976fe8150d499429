#include "framework/backend.h"

#include <stdexcept>

#include "framework/cpu/cpu_backend.h"

namespace kasf {

#ifdef KASF_WITH_CUDA
Backend& cuda_backend();  // framework/cuda/; throws when no GPU is present
#endif
Backend& emulated_cuda_backend();  // framework/cuda/emulated_runtime.cpp

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
