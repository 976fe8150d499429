// Launch shapes of the kernels, and the launch-and-check step every backend method uses.
//
// Blocks are 128 threads (4 warps): enough for several resident blocks per SM, few enough that
// rows of 17 or 27 (one per warp) are spread over many blocks. Grid-stride loops let a capped
// grid cover any size.
#pragma once
#include <algorithm>
#include <cstdint>

#include "framework/cuda/cuda_compat.h"

namespace kasf {

constexpr int kWarpSize = 32;
constexpr unsigned kThreadsPerBlock = 128;
constexpr unsigned kWarpsPerBlock = kThreadsPerBlock / kWarpSize;
constexpr int64_t kMaxBlocks = 8192;

// Blocks for one thread per item.
inline unsigned blocks_for_threads(int64_t count) {
  return static_cast<unsigned>(std::min((count + kThreadsPerBlock - 1) / kThreadsPerBlock, kMaxBlocks));
}
// Blocks for one warp per item.
inline unsigned blocks_for_warps(int64_t count) {
  return static_cast<unsigned>(std::min((count + kWarpsPerBlock - 1) / kWarpsPerBlock, kMaxBlocks));
}

}  // namespace kasf

// Inside a CudaBackend method: enqueues `kernel` on the backend's stream with `blocks` blocks of
// kThreadsPerBlock threads (none: nothing to do), and turns a rejected launch into an exception
// naming the kernel and the op.
#define KASF_RUN_KERNEL(kernel, blocks, op, ...)                                          \
  do {                                                                                    \
    const unsigned kasf_blocks = (blocks);                                                \
    if (kasf_blocks == 0) break;                                                          \
    KASF_LAUNCH(kernel, kasf_blocks, kThreadsPerBlock, 0, runtime_.stream())(__VA_ARGS__); \
    runtime_.check_launch(#kernel, op);                                                   \
  } while (0)
