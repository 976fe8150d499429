// The portability layer that lets one kernel source compile under nvcc and as plain C++.
//
// Under nvcc (__CUDACC__) it is real CUDA. Otherwise the kernels run on the launch emulator
// (framework/cuda/emulator.h): the qualifiers vanish, `__shared__` becomes function-static storage
// (blocks run one at a time), and KASF_LAUNCH runs the grid on host threads.
//
// The backend and its kernels live in namespace kasf::KASF_CUDA_NS, which is `gpu` for the real
// build and `emulated` for the emulated one, so both can be linked into one program without their
// identically named functions colliding.
#pragma once
#include <cmath>

#ifdef __CUDACC__

#include <cuda_runtime.h>

#define KASF_CUDA_NS gpu
// KASF_LAUNCH(kernel, grid, block, shared_bytes, stream)(args...)
#define KASF_LAUNCH(kernel, grid, block, shared_bytes, stream) kernel<<<(grid), (block), (shared_bytes), (stream)>>>

#else

#include "framework/cuda/emulator.h"

#define KASF_CUDA_NS emulated
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __shared__ static

namespace kasf::emulated {

using cudaStream_t = struct EmulatedStream*;

// Binds a kernel to its launch configuration; calling the result with the kernel's arguments runs it.
template <typename Kernel>
struct EmulatedLaunch {
  const char* name;
  Kernel* kernel;
  dim3 grid, block;
  size_t shared_bytes;
  template <typename... Args>
  void operator()(Args... args) const {
    launch(name, grid, block, shared_bytes, [kernel = kernel, args...] { kernel(args...); });
  }
};

template <typename Kernel>
EmulatedLaunch<Kernel> make_launch(const char* name, Kernel* kernel, dim3 grid, dim3 block, size_t shared_bytes) {
  return {name, kernel, grid, block, shared_bytes};
}

}  // namespace kasf::emulated

#define KASF_LAUNCH(kernel, grid, block, shared_bytes, stream) \
  ::kasf::emulated::make_launch(#kernel, &kernel, (grid), (block), (shared_bytes))

#endif
