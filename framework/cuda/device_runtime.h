// What the CUDA backend needs from the CUDA runtime and the vendor libraries, behind one seam so
// that the backend's own source (launch shapes and kernels) also runs on the launch emulator:
// - device_runtime.cu: cudart with one stream, cuBLAS for GEMMs, cuDNN for softmax;
// - emulated_runtime.cpp: host memory, and GEMM and softmax on the CPU backend (vendor code
//   cannot run in the emulation).
// Each call names the backend op it serves, which error messages repeat.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

#include "framework/backend.h"
#include "framework/cuda/cuda_compat.h"

namespace kasf::KASF_CUDA_NS {

class DeviceRuntime {
 public:
  DeviceRuntime();  // throws std::runtime_error("no CUDA device: ...") when none is usable
  ~DeviceRuntime();
  DeviceRuntime(const DeviceRuntime&) = delete;
  DeviceRuntime& operator=(const DeviceRuntime&) = delete;

  cudaStream_t stream() const;

  void* try_allocate(size_t bytes);  // nullptr when the device is out of memory
  void free(void* block);
  // Enqueues the copy; `host_src` may be reused as soon as this returns.
  void copy_to_device(void* dst, const void* host_src, size_t bytes, const char* op);
  // Waits for the stream, so the host sees the results of everything enqueued before.
  void copy_to_host(void* host_dst, const void* src, size_t bytes, const char* op);
  void synchronize(const char* op);
  // Turns a failed kernel launch into an exception naming the kernel and the op.
  void check_launch(const char* kernel, const char* op);

  // The Backend::gemm contract (row-major, strided batches) for one group (outer_batch 1): the
  // backend splits groups and runs the epilogue.
  void gemm(const GemmArgs& g);
  void softmax(const float* x, float* y, int64_t rows, int64_t cols);
  void softmax_backward(const float* y, const float* gy, float* gx, int64_t rows, int64_t cols);

 private:
  struct Handles;
  std::unique_ptr<Handles> handles_;
};

}  // namespace kasf::KASF_CUDA_NS
