// DeviceRuntime for the emulated CUDA backend: "device" memory is host memory, the stream is the
// calling thread, and the vendor-library calls (cuBLAS GEMM, cuDNN softmax) go to the CPU backend.
#include <cstdlib>
#include <cstring>

#include "framework/cpu/cpu_backend.h"
#include "framework/cuda/cuda_backend.h"
#include "framework/cuda/device_runtime.h"

namespace kasf {

namespace emulated {

struct DeviceRuntime::Handles {};

DeviceRuntime::DeviceRuntime() = default;
DeviceRuntime::~DeviceRuntime() = default;

cudaStream_t DeviceRuntime::stream() const { return nullptr; }

void* DeviceRuntime::try_allocate(size_t bytes) { return std::malloc(bytes); }
void DeviceRuntime::free(void* block) { std::free(block); }

void DeviceRuntime::copy_to_device(void* dst, const void* host_src, size_t bytes, const char*) {
  std::memcpy(dst, host_src, bytes);
}
void DeviceRuntime::copy_to_host(void* host_dst, const void* src, size_t bytes, const char*) {
  std::memcpy(host_dst, src, bytes);
}
void DeviceRuntime::synchronize(const char*) {}
void DeviceRuntime::check_launch(const char*, const char*) {}  // the emulator throws on bad launches

void DeviceRuntime::gemm(const GemmArgs& g) { cpu_backend().gemm(g); }

void DeviceRuntime::softmax(const float* x, float* y, int64_t rows, int64_t cols) {
  cpu_backend().softmax(x, y, rows, cols);
}

void DeviceRuntime::softmax_backward(const float* y, const float* gy, float* gx, int64_t rows, int64_t cols) {
  cpu_backend().softmax_backward(y, gy, gx, rows, cols);
}

}  // namespace emulated

Backend& emulated_cuda_backend() {
  // Never destroyed: tensors released during static destruction still return their memory to it.
  static Backend* backend = new emulated::CudaBackend;
  return *backend;
}

}  // namespace kasf
