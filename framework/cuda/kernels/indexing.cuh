// Thread and warp indexing shared by the kernels: grid-stride loops over elements or warps, the
// offset of an element in a strided view, and the warp sum.
#pragma once
#include <cstdint>

#include "framework/backend.h"
#include "framework/cuda/cuda_compat.h"

namespace kasf::KASF_CUDA_NS {

constexpr unsigned kFullWarp = 0xffffffffu;

__device__ __forceinline__ int64_t global_thread() {
  return static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ __forceinline__ int64_t grid_threads() { return static_cast<int64_t>(gridDim.x) * blockDim.x; }

// Warp-per-item kernels: a 1-D block holds blockDim.x / 32 warps, each owning one item at a time.
__device__ __forceinline__ int lane() { return static_cast<int>(threadIdx.x % warpSize); }
__device__ __forceinline__ int64_t global_warp() {
  return (static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) / warpSize;
}
__device__ __forceinline__ int64_t grid_warps() { return grid_threads() / warpSize; }

// Offset of element `linear` (row-major over the view's shape) in a strided view.
__device__ __forceinline__ int64_t strided_offset(const Layout& view, int64_t linear) {
  int64_t offset = 0;
  for (int d = view.rank - 1; d >= 0; --d) {
    const int64_t extent = view.shape[d];
    offset += (linear % extent) * view.strides[d];
    linear /= extent;
  }
  return offset;
}

// Every lane gets the sum over its warp (butterfly: lanes exchange at distances 16, 8, ..., 1).
__device__ __forceinline__ float warp_sum(float value) {
  for (int distance = warpSize / 2; distance > 0; distance /= 2)
    value += __shfl_xor_sync(kFullWarp, value, distance);
  return value;
}

}  // namespace kasf::KASF_CUDA_NS
