// Index kernels (gather along an axis and its scatter-add), the top-K adjacency and dropout masks.
#include <algorithm>
#include <cstring>
#include <functional>
#include <vector>

#include "framework/cpu/cpu_backend.h"
#include "framework/random.h"

namespace kasf {

void CpuBackend::index_select(const float* x, float* y, int64_t outer, int64_t axis_size, int64_t inner,
                              const int64_t* host_index, int64_t count) {
  cpu::parallel_for_each(outer * count, inner, [&](int64_t row) {
    const int64_t o = row / count, j = row % count;
    std::memcpy(y + row * inner, x + (o * axis_size + host_index[j]) * inner, inner * sizeof(float));
  });
}

void CpuBackend::index_add(const float* gy, float* gx, int64_t outer, int64_t axis_size, int64_t inner,
                           const int64_t* host_index, int64_t count) {
  // Repeated indices add into the same row, so threads split `outer`, never the index list.
  cpu::parallel_for_each(outer, count * inner, [&](int64_t o) {
    for (int64_t j = 0; j < count; ++j) {
      const float* src = gy + (o * count + j) * inner;
      float* dst = gx + (o * axis_size + host_index[j]) * inner;
      for (int64_t i = 0; i < inner; ++i) dst[i] += src[i];
    }
  });
}

void CpuBackend::topk_adjacency(const float* s, float* a, int64_t batch, int64_t n, int64_t k) {
  cpu::parallel_for(batch * n, cpu::kParallelGrain / n + 1, [&](int64_t begin, int64_t end) {
    std::vector<float> scratch(static_cast<size_t>(n));
    for (int64_t r = begin; r < end; ++r) {
      const float* sr = s + r * n;
      std::copy(sr, sr + n, scratch.begin());
      // The k-th largest: the element at position k-1 of the row sorted in descending order.
      std::nth_element(scratch.begin(), scratch.begin() + (k - 1), scratch.end(), std::greater<float>());
      const float threshold = scratch[k - 1];
      float* ar = a + r * n;
      for (int64_t c = 0; c < n; ++c) ar[c] = sr[c] >= threshold ? 1.0f : 0.0f;
    }
  });
}

void CpuBackend::dropout_mask(float* mask, int64_t count, float p, uint64_t seed, uint64_t offset) {
  const float keep_scale = 1.0f / (1.0f - p);
  cpu::parallel_for(count, cpu::kParallelGrain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i)
      mask[i] = random_uniform(seed, offset + static_cast<uint64_t>(i)) >= p ? keep_scale : 0.0f;
  });
}

}  // namespace kasf
