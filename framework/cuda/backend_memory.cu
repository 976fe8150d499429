// CudaBackend: memory through the caching allocator, and host <-> device copies.
#include "framework/cuda/cuda_backend.h"

namespace kasf::KASF_CUDA_NS {

CudaBackend::CudaBackend()
    : allocator_([this](size_t bytes) { return runtime_.try_allocate(bytes); },
                 [this](void* block) { runtime_.free(block); }) {}

Device CudaBackend::device() const {
#ifdef __CUDACC__
  return Device::CUDA;
#else
  return Device::EmulatedCuda;
#endif
}

float* CudaBackend::allocate(size_t count) { return static_cast<float*>(allocator_.allocate(count * sizeof(float))); }

void CudaBackend::deallocate(float* ptr, size_t count) { allocator_.release(ptr, count * sizeof(float)); }

void CudaBackend::upload(float* dst, const float* host_src, size_t count) {
  runtime_.copy_to_device(dst, host_src, count * sizeof(float), "upload");
}

void CudaBackend::download(float* host_dst, const float* src, size_t count) {
  runtime_.copy_to_host(host_dst, src, count * sizeof(float), "download");
}

void CudaBackend::synchronize() { runtime_.synchronize("synchronize"); }

CachedBlock CudaBackend::device_index(const int64_t* host_index, int64_t count, const char* op) {
  const size_t bytes = static_cast<size_t>(count) * sizeof(int64_t);
  CachedBlock block(allocator_, bytes);
  runtime_.copy_to_device(block.as<int64_t>(), host_index, bytes, op);
  return block;
}

}  // namespace kasf::KASF_CUDA_NS
