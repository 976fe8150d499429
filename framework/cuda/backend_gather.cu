// CudaBackend: gathers along an axis and their scatter-add, the top-K adjacency, dropout masks.
#include "framework/cuda/cuda_backend.h"
#include "framework/cuda/kernels/gather.cuh"
#include "framework/cuda/launch.h"

namespace kasf::KASF_CUDA_NS {

void CudaBackend::index_select(const float* x, float* y, int64_t outer, int64_t axis_size, int64_t inner,
                               const int64_t* host_index, int64_t count) {
  if (count == 0) return;
  const CachedBlock index = device_index(host_index, count, "index_select");
  KASF_RUN_KERNEL(index_select_kernel, blocks_for_threads(outer * count * inner), "index_select", x, y,
                  index.as<int64_t>(), outer, axis_size, inner, count);
}

void CudaBackend::index_add(const float* gy, float* gx, int64_t outer, int64_t axis_size, int64_t inner,
                            const int64_t* host_index, int64_t count) {
  if (count == 0) return;
  const CachedBlock index = device_index(host_index, count, "index_add");
  KASF_RUN_KERNEL(index_add_kernel, blocks_for_threads(outer * count * inner), "index_add", gy, gx,
                  index.as<int64_t>(), outer, axis_size, inner, count);
}

void CudaBackend::topk_adjacency(const float* s, float* a, int64_t batch, int64_t n, int64_t k) {
  KASF_RUN_KERNEL(topk_adjacency_kernel, blocks_for_threads(batch * n * n), "topk_adjacency", s, a, batch * n, n, k);
}

void CudaBackend::dropout_mask(float* mask, int64_t count, float p, uint64_t seed, uint64_t offset) {
  KASF_RUN_KERNEL(dropout_mask_kernel, blocks_for_threads(count), "dropout_mask", mask, count, p, 1.0f / (1.0f - p),
                  seed, offset);
}

}  // namespace kasf::KASF_CUDA_NS
