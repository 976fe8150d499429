// A CPU emulation of the CUDA launch model, so the backend's kernel sources run without a GPU.
//
// Blocks run one after another, so function-static storage (what `__shared__` becomes) belongs
// to exactly one block at a time. The threads of a block are fibers on the launching thread,
// switched only at barriers: __syncthreads waits for the block's threads; a warp shuffle writes
// the lane's value to a per-warp buffer, waits for its warp and reads the source lane's value
// (two buffers used in turn keep a fast lane from overwriting a value not read yet). A thread
// that returns early no longer holds back __syncthreads, as on the GPU, but a shuffle needs all
// 32 lanes of its warp. (Fibers rather than a host thread per CUDA thread: on two cores, the
// context switches of 128 threads per block made the op table take many minutes.)
//
// Only compiled as plain C++ (never by nvcc); kernels reach it through framework/cuda/cuda_compat.h.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>

namespace kasf::emulated {

struct dim3 {
  unsigned x, y, z;
  constexpr dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};

inline constexpr int warpSize = 32;
extern thread_local dim3 threadIdx, blockIdx, blockDim, gridDim;

// Runs `thread_body` as each thread of each block of the grid; returns when all have finished.
// Throws std::invalid_argument for launch shapes a GPU would reject, and for blocks that are not
// whole warps (the kernels' shuffles assume full warps); std::logic_error when threads wait at a
// barrier that the others never reach (a deadlock, or undefined behaviour, on the GPU).
void launch(const char* kernel, dim3 grid, dim3 block, size_t dynamic_shared_bytes,
            const std::function<void()>& thread_body);

void __syncthreads();

// The calling lane publishes `bits`, and gets those published by `source_lane` of its warp.
uint64_t warp_exchange(uint64_t bits, int source_lane);
int lane_id();

template <typename T>
T shuffle_from(T value, int source_lane) {
  static_assert(sizeof(T) <= sizeof(uint64_t));
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof(T));
  bits = warp_exchange(bits, source_lane);
  std::memcpy(&value, &bits, sizeof(T));
  return value;
}

// The masks are not modelled: every kernel shuffles with all lanes of a full warp.
template <typename T>
T __shfl_xor_sync(unsigned /*mask*/, T value, int lane_mask) {
  return shuffle_from(value, lane_id() ^ lane_mask);
}

template <typename T>
T __shfl_down_sync(unsigned /*mask*/, T value, unsigned delta) {
  const int source = lane_id() + static_cast<int>(delta);
  return shuffle_from(value, source < warpSize ? source : lane_id());  // out of range: own value, as CUDA
}

inline float atomicAdd(float* address, float value) { return std::atomic_ref<float>(*address).fetch_add(value); }

}  // namespace kasf::emulated
