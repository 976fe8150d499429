// DeviceRuntime on the real device: one stream, a cuBLAS and a cuDNN handle bound to it, and every
// status checked; cuBLAS is loaded by the first runtime that starts (cublas_library.h). Also the
// entry point cuda_backend(), which reports a missing GPU or driver.
#include <cudnn.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "framework/cuda/cublas_library.h"
#include "framework/cuda/cuda_backend.h"
#include "framework/cuda/device_runtime.h"
#include "framework/matmul_precision.h"

namespace kasf {

namespace gpu {

namespace {

[[noreturn]] void fail(const char* op, const char* call, const std::string& status) {
  throw std::runtime_error(std::string("CUDA backend, ") + op + ": " + call + " failed: " + status);
}

void check(cudaError_t status, const char* call, const char* op) {
  if (status != cudaSuccess) fail(op, call, cudaGetErrorString(status));
}
void check(cublasStatus_t status, const char* call, const char* op) {
  if (status != CUBLAS_STATUS_SUCCESS) fail(op, call, cublas_library().status_string(status));
}
void check(cudnnStatus_t status, const char* call, const char* op) {
  if (status != CUDNN_STATUS_SUCCESS) fail(op, call, cudnnGetErrorString(status));
}

// Checks a CUDA, cuBLAS or cuDNN call; the message names the call as written and the op.
#define KASF_CHECK(call, op) check((call), #call, (op))

int checked_int(int64_t value, const char* what, const char* op) {
  if (value > INT32_MAX)
    throw std::runtime_error(std::string("CUDA backend, ") + op + ": " + what + " = " + std::to_string(value) +
                             " exceeds the 32-bit range of the library call");
  return static_cast<int>(value);
}

// TF32 tensor-core math changes results beyond float32 rounding, so it is an explicit opt-in.
bool tf32_requested() {
  const char* flag = std::getenv("KASF_CUDA_TF32");
  return flag && std::string(flag) == "1";
}

}  // namespace

struct DeviceRuntime::Handles {
  // Released without checks (also after a failed start): at exit the driver may be shutting down.
  ~Handles() {
    if (rows) cudnnDestroyTensorDescriptor(rows);
    if (cudnn) cudnnDestroy(cudnn);
    if (cublas) cublas_library().destroy(cublas);
    if (stream) cudaStreamDestroy(stream);
  }
  cudaStream_t stream = nullptr;
  cublasHandle_t cublas = nullptr;
  cudnnHandle_t cudnn = nullptr;
  cudnnTensorDescriptor_t rows = nullptr;  // the (rows, cols, 1, 1) view of softmax
};

DeviceRuntime::DeviceRuntime() : handles_(std::make_unique<Handles>()) {
  int devices = 0;
  const cudaError_t status = cudaGetDeviceCount(&devices);
  if (status != cudaSuccess) throw std::runtime_error(std::string("no CUDA device: ") + cudaGetErrorString(status));
  if (devices == 0) throw std::runtime_error("no CUDA device: the driver reports none");
  Handles& h = *handles_;
  KASF_CHECK(cudaStreamCreateWithFlags(&h.stream, cudaStreamNonBlocking), "init");
  const CublasLibrary& cublas = cublas_library();
  KASF_CHECK(cublas.create(&h.cublas), "init");
  KASF_CHECK(cublas.set_stream(h.cublas, h.stream), "init");
  KASF_CHECK(cublas.set_math_mode(h.cublas, tf32_requested() ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH),
             "init");
  KASF_CHECK(cudnnCreate(&h.cudnn), "init");
  KASF_CHECK(cudnnSetStream(h.cudnn, h.stream), "init");
  KASF_CHECK(cudnnCreateTensorDescriptor(&h.rows), "init");
}

DeviceRuntime::~DeviceRuntime() = default;

cudaStream_t DeviceRuntime::stream() const { return handles_->stream; }

void* DeviceRuntime::try_allocate(size_t bytes) {
  void* block = nullptr;
  const cudaError_t status = cudaMalloc(&block, bytes);
  if (status == cudaErrorMemoryAllocation) {
    cudaGetLastError();  // clears the error so later checks do not report it again
    return nullptr;
  }
  KASF_CHECK(status, "allocate");
  return block;
}

void DeviceRuntime::free(void* block) {
  // Pending kernels may still use the block (it was cached until now).
  KASF_CHECK(cudaStreamSynchronize(handles_->stream), "free");
  KASF_CHECK(cudaFree(block), "free");
}

void DeviceRuntime::copy_to_device(void* dst, const void* host_src, size_t bytes, const char* op) {
  // From pageable memory the call returns once the source is staged, so the caller may reuse it.
  KASF_CHECK(cudaMemcpyAsync(dst, host_src, bytes, cudaMemcpyHostToDevice, handles_->stream), op);
}

void DeviceRuntime::copy_to_host(void* host_dst, const void* src, size_t bytes, const char* op) {
  KASF_CHECK(cudaMemcpyAsync(host_dst, src, bytes, cudaMemcpyDeviceToHost, handles_->stream), op);
  KASF_CHECK(cudaStreamSynchronize(handles_->stream), op);
}

void DeviceRuntime::synchronize(const char* op) { KASF_CHECK(cudaStreamSynchronize(handles_->stream), op); }

void DeviceRuntime::check_launch(const char* kernel, const char* op) {
  const cudaError_t status = cudaGetLastError();
  if (status != cudaSuccess) fail(op, (std::string("launch of ") + kernel).c_str(), cudaGetErrorString(status));
}

// cuBLAS is column-major, where a row-major matrix is its transpose: C^T = op(B)^T op(A)^T, so the
// row-major product is cuBLAS's with A and B (and m and n) swapped and the same leading dimensions.
// MatmulPrecision::bf16 lets cuBLAS round the fp32 operands to bf16 for the tensor cores and
// accumulate in fp32 (CUBLAS_COMPUTE_32F_FAST_16BF), as the CPU's oneDNN GEMMs do.
void DeviceRuntime::gemm(const GemmArgs& g) {
  const char* op = "gemm";
  const cublasComputeType_t compute =
      matmul_precision() == MatmulPrecision::bf16 ? CUBLAS_COMPUTE_32F_FAST_16BF : CUBLAS_COMPUTE_32F;
  KASF_CHECK(cublas_library().gemm_strided_batched(
                 handles_->cublas, g.trans_b ? CUBLAS_OP_T : CUBLAS_OP_N, g.trans_a ? CUBLAS_OP_T : CUBLAS_OP_N,
                 checked_int(g.n, "n", op), checked_int(g.m, "m", op), checked_int(g.k, "k", op), &g.alpha, g.b,
                 CUDA_R_32F, checked_int(g.ldb, "ldb", op), g.stride_b, g.a, CUDA_R_32F, checked_int(g.lda, "lda", op),
                 g.stride_a, &g.beta, g.c, CUDA_R_32F, checked_int(g.ldc, "ldc", op), g.stride_c,
                 checked_int(g.batch, "batch", op), compute, CUBLAS_GEMM_DEFAULT),
             op);
}

void DeviceRuntime::softmax(const float* x, float* y, int64_t rows, int64_t cols) {
  const char* op = "softmax";
  const float one = 1.0f, zero = 0.0f;
  Handles& h = *handles_;
  KASF_CHECK(cudnnSetTensor4dDescriptor(h.rows, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, checked_int(rows, "rows", op),
                                        checked_int(cols, "cols", op), 1, 1),
             op);
  KASF_CHECK(cudnnSoftmaxForward(h.cudnn, CUDNN_SOFTMAX_ACCURATE, CUDNN_SOFTMAX_MODE_INSTANCE, &one, h.rows, x, &zero,
                                 h.rows, y),
             op);
}

void DeviceRuntime::softmax_backward(const float* y, const float* gy, float* gx, int64_t rows, int64_t cols) {
  const char* op = "softmax_backward";
  const float one = 1.0f, zero = 0.0f;
  Handles& h = *handles_;
  KASF_CHECK(cudnnSetTensor4dDescriptor(h.rows, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, checked_int(rows, "rows", op),
                                        checked_int(cols, "cols", op), 1, 1),
             op);
  KASF_CHECK(cudnnSoftmaxBackward(h.cudnn, CUDNN_SOFTMAX_ACCURATE, CUDNN_SOFTMAX_MODE_INSTANCE, &one, h.rows, y,
                                  h.rows, gy, &zero, h.rows, gx),
             op);
}

}  // namespace gpu

Backend& cuda_backend() {
  // Never destroyed: the CUDA runtime may unload before static destructors run. A failed start
  // (no device) throws and is retried on the next call.
  static Backend* backend = new gpu::CudaBackend;
  return *backend;
}

}  // namespace kasf
