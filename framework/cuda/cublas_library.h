// cuBLAS, loaded when the first CUDA backend starts rather than linked: libcublas pulls in
// libcublasLt, whose initialisers cost every process that links it about 0.4 s at start-up, GPU or
// not (docs/cuda.md), and most kasf processes never touch a GPU.
#pragma once
#include <cublas_v2.h>

namespace kasf::gpu {

// The functions the backend calls, resolved from the loaded library.
struct CublasLibrary {
  decltype(&::cublasCreate_v2) create;
  decltype(&::cublasDestroy_v2) destroy;
  decltype(&::cublasSetStream_v2) set_stream;
  decltype(&::cublasSetMathMode) set_math_mode;
  decltype(&::cublasGetStatusString) status_string;
  // (The header also declares an inline overload of this name, so its type is spelled out.)
  cublasStatus_t (*gemm_strided_batched)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int,
                                         const void*, const void*, cudaDataType, int, long long, const void*,
                                         cudaDataType, int, long long, const void*, void*, cudaDataType, int,
                                         long long, int, cublasComputeType_t, cublasGemmAlgo_t);
};

// Loads libcublas.so.<major> of the toolkit kasf was built with, once: by its soname (the system's
// search path), then from the toolkit's library folder found at build time. Throws
// std::runtime_error naming the library, or the missing function, when that fails.
const CublasLibrary& cublas_library();

}  // namespace kasf::gpu
