// Index kernels: gather along an axis and its scatter-add, the top-K adjacency, dropout masks.
// x is viewed as (outer, axis_size, inner) and y or gy as (outer, count, inner); one thread per
// element of y.
#pragma once
#include "framework/cuda/kernels/indexing.cuh"
#include "framework/random.h"

namespace kasf::KASF_CUDA_NS {

// Offset in x of element `i` of y.
__device__ __forceinline__ int64_t gathered_offset(int64_t i, const int64_t* index, int64_t axis_size,
                                                   int64_t count, int64_t inner) {
  const int64_t k = i % inner, j = i / inner % count, o = i / (inner * count);
  return (o * axis_size + index[j]) * inner + k;
}

__global__ void index_select_kernel(const float* x, float* y, const int64_t* index, int64_t outer,
                                    int64_t axis_size, int64_t inner, int64_t count) {
  for (int64_t i = global_thread(); i < outer * count * inner; i += grid_threads())
    y[i] = x[gathered_offset(i, index, axis_size, count, inner)];
}

// Repeated indices add into the same element from several threads, hence the atomics.
__global__ void index_add_kernel(const float* gy, float* gx, const int64_t* index, int64_t outer, int64_t axis_size,
                                 int64_t inner, int64_t count) {
  for (int64_t i = global_thread(); i < outer * count * inner; i += grid_threads())
    atomicAdd(gx + gathered_offset(i, index, axis_size, count, inner), gy[i]);
}

// a[r, c] = 1 iff s[r, c] >= the k-th largest of row r, i.e. iff fewer than k values of the row
// are strictly greater than s[r, c]; one thread per element, no sorting.
__global__ void topk_adjacency_kernel(const float* s, float* a, int64_t rows, int64_t n, int64_t k) {
  for (int64_t i = global_thread(); i < rows * n; i += grid_threads()) {
    const float* row = s + (i / n) * n;
    const float v = s[i];
    int64_t greater = 0;
    for (int64_t c = 0; c < n; ++c) greater += row[c] > v;
    a[i] = greater < k ? 1.0f : 0.0f;
  }
}

__global__ void dropout_mask_kernel(float* mask, int64_t count, float p, float keep_scale, uint64_t seed,
                                    uint64_t offset) {
  for (int64_t i = global_thread(); i < count; i += grid_threads())
    mask[i] = random_uniform(seed, offset + static_cast<uint64_t>(i)) >= p ? keep_scale : 0.0f;
}

}  // namespace kasf::KASF_CUDA_NS
