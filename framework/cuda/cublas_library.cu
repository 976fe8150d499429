#include <dlfcn.h>

#include <stdexcept>
#include <string>

#include "framework/cuda/cublas_library.h"

namespace kasf::gpu {

namespace {

void* open_cublas() {
  const std::string name = "libcublas.so." + std::to_string(CUBLAS_VER_MAJOR);
  if (void* handle = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL)) return handle;
  const std::string first_error = dlerror();
  const std::string path = std::string(KASF_CUDA_LIBRARY_DIR) + "/" + name;
  if (void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) return handle;
  throw std::runtime_error("CUDA backend, init: cannot load cuBLAS (" + first_error + "; " + dlerror() + ")");
}

template <class Function>
void resolve(void* handle, const char* symbol, Function& function) {
  function = reinterpret_cast<Function>(dlsym(handle, symbol));
  if (!function) throw std::runtime_error(std::string("CUDA backend, init: cuBLAS has no ") + symbol);
}

CublasLibrary load() {
  void* handle = open_cublas();  // kept open for the life of the process
  CublasLibrary l;
  resolve(handle, "cublasCreate_v2", l.create);
  resolve(handle, "cublasDestroy_v2", l.destroy);
  resolve(handle, "cublasSetStream_v2", l.set_stream);
  resolve(handle, "cublasSetMathMode", l.set_math_mode);
  resolve(handle, "cublasGetStatusString", l.status_string);
  resolve(handle, "cublasGemmStridedBatchedEx", l.gemm_strided_batched);
  return l;
}

}  // namespace

const CublasLibrary& cublas_library() {
  static const CublasLibrary library = load();
  return library;
}

}  // namespace kasf::gpu
