// The CUDA backend's own source, compiled by the host compiler: every backend .cu is included
// here, so its launch shapes and kernels run on the launch emulator (cuda_compat.h) as
// kasf::emulated::CudaBackend. Only the runtime differs (emulated_runtime.cpp).
#include "framework/cuda/backend_elementwise.cu"
#include "framework/cuda/backend_gather.cu"
#include "framework/cuda/backend_memory.cu"
#include "framework/cuda/backend_norm.cu"
#include "framework/cuda/backend_reduce.cu"
