// The launch emulator against the CUDA semantics the kernels rely on: blocks run one after
// another with their own __shared__ contents, __syncthreads orders the block's threads, warp
// shuffles read the right lanes, atomics do not lose updates, and bad launch shapes are refused.
#define BOOST_TEST_MODULE cuda_emulator
#include <boost/test/unit_test.hpp>

#include <numeric>
#include <stdexcept>
#include <vector>

#include "framework/cuda/cuda_compat.h"

namespace kasf::emulated {
namespace {

// Each block reverses its slice of `data` through shared memory: correct only if every thread's
// write is visible to another thread after the barrier, and blocks do not share the buffer.
__global__ void reverse_in_blocks(float* data) {
  __shared__ float tile[128];
  const unsigned t = threadIdx.x;
  tile[t] = data[blockIdx.x * blockDim.x + t];
  __syncthreads();
  data[blockIdx.x * blockDim.x + t] = tile[blockDim.x - 1 - t];
}

// The same without the barrier: a data race on the GPU.
__global__ void reverse_without_barrier(float* data) {
  __shared__ float tile[128];
  const unsigned t = threadIdx.x;
  tile[t] = data[blockIdx.x * blockDim.x + t];
  data[blockIdx.x * blockDim.x + t] = tile[blockDim.x - 1 - t];
}

// Only half of the warp shuffles: undefined on the GPU.
__global__ void divergent_shuffle(int* out) {
  if (threadIdx.x < 16) out[threadIdx.x] = __shfl_xor_sync(0xffffffffu, 1, 1);
}

__global__ void shuffles(int* xor_out, int* down_out) {
  const int t = static_cast<int>(threadIdx.x);
  xor_out[t] = __shfl_xor_sync(0xffffffffu, t * 10, 5);
  down_out[t] = __shfl_down_sync(0xffffffffu, t * 10, 3);
}

__global__ void count_into(float* counter) { atomicAdd(counter, 1.0f); }

// Threads 32 and up leave at once; the rest still meet at the barrier.
__global__ void early_exit(int* data) {
  if (threadIdx.x >= 32) return;
  __shared__ int slots[32];
  slots[threadIdx.x] = static_cast<int>(threadIdx.x);
  __syncthreads();
  data[threadIdx.x] = slots[31 - threadIdx.x];
}

__global__ void indices(unsigned* out) {
  const unsigned thread = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
  const unsigned block = blockIdx.x + gridDim.x * blockIdx.y;
  out[block * blockDim.x * blockDim.y * blockDim.z + thread] = block * 1000 + thread;
}

__global__ void nothing() {}

BOOST_AUTO_TEST_CASE(shared_memory_is_per_block_and_synchronised) {
  std::vector<float> data(3 * 128);
  std::iota(data.begin(), data.end(), 0.0f);
  KASF_LAUNCH(reverse_in_blocks, 3, 128, 0, nullptr)(data.data());
  for (int b = 0; b < 3; ++b)
    for (int t = 0; t < 128; ++t) BOOST_TEST(data[b * 128 + t] == static_cast<float>(b * 128 + 127 - t));
}

BOOST_AUTO_TEST_CASE(a_missing_barrier_gives_wrong_results) {
  std::vector<float> data(128);
  std::iota(data.begin(), data.end(), 0.0f);
  KASF_LAUNCH(reverse_without_barrier, 1, 128, 0, nullptr)(data.data());
  int wrong = 0;
  for (int t = 0; t < 128; ++t) wrong += data[t] != static_cast<float>(127 - t);
  BOOST_TEST(wrong > 0);
}

BOOST_AUTO_TEST_CASE(a_barrier_half_a_warp_never_reaches_is_reported) {
  std::vector<int> out(32);
  BOOST_CHECK_THROW(KASF_LAUNCH(divergent_shuffle, 1, 32, 0, nullptr)(out.data()), std::logic_error);
  KASF_LAUNCH(shuffles, 1, 32, 0, nullptr)(out.data(), out.data());  // the emulator recovers
}

BOOST_AUTO_TEST_CASE(shuffles_read_the_named_lane_of_the_own_warp) {
  std::vector<int> by_xor(64), by_down(64);
  KASF_LAUNCH(shuffles, 1, 64, 0, nullptr)(by_xor.data(), by_down.data());
  for (int t = 0; t < 64; ++t) {
    const int lane = t % 32, warp_base = t - lane;
    BOOST_TEST(by_xor[t] == (warp_base + (lane ^ 5)) * 10);
    BOOST_TEST(by_down[t] == (lane + 3 < 32 ? t + 3 : t) * 10);  // beyond the warp: its own value
  }
}

BOOST_AUTO_TEST_CASE(atomic_adds_are_not_lost) {
  float counter = 0.0f;
  KASF_LAUNCH(count_into, 4, 256, 0, nullptr)(&counter);
  BOOST_TEST(counter == 1024.0f);
}

BOOST_AUTO_TEST_CASE(exited_threads_do_not_block_the_barrier) {
  std::vector<int> data(32, -1);
  KASF_LAUNCH(early_exit, 2, 96, 0, nullptr)(data.data());
  for (int t = 0; t < 32; ++t) BOOST_TEST(data[t] == 31 - t);
}

BOOST_AUTO_TEST_CASE(multidimensional_indices) {
  const dim3 grid(3, 2), block(8, 2, 2);
  std::vector<unsigned> out(6 * 32);
  KASF_LAUNCH(indices, grid, block, 0, nullptr)(out.data());
  for (unsigned b = 0; b < 6; ++b)
    for (unsigned t = 0; t < 32; ++t) BOOST_TEST(out[b * 32 + t] == b * 1000 + t);
}

BOOST_AUTO_TEST_CASE(launch_shapes_a_gpu_refuses_are_refused) {
  BOOST_CHECK_THROW(KASF_LAUNCH(nothing, 1, 48, 0, nullptr)(), std::invalid_argument);     // not whole warps
  BOOST_CHECK_THROW(KASF_LAUNCH(nothing, 1, 2048, 0, nullptr)(), std::invalid_argument);   // too many threads
  BOOST_CHECK_THROW(KASF_LAUNCH(nothing, 0, 32, 0, nullptr)(), std::invalid_argument);     // empty grid
  BOOST_CHECK_THROW(KASF_LAUNCH(nothing, dim3(1, 70000), 32, 0, nullptr)(), std::invalid_argument);
  BOOST_CHECK_THROW(KASF_LAUNCH(nothing, 1, 32, 16, nullptr)(), std::invalid_argument);    // dynamic shared
}

}  // namespace
}  // namespace kasf::emulated
