# The CUDA backend: built when nvcc is found (option KASF_CUDA, default ON then), for sm_80 and
# sm_90. Sets KASF_WITH_CUDA and defines kasf_add_cuda_backend(target), which adds the backend's
# .cu sources to `target`, defines KASF_WITH_CUDA for it and links cudart, cuBLAS and cuDNN.
# Without nvcc the build stays CPU-only (the emulated CUDA backend is always part of it).
if(NOT CMAKE_CUDA_COMPILER)
  find_program(KASF_NVCC nvcc PATHS /usr/local/cuda/bin NO_CACHE)
endif()
set(kasf_cuda_found OFF)
if(CMAKE_CUDA_COMPILER OR KASF_NVCC)
  set(kasf_cuda_found ON)
endif()
option(KASF_CUDA "Build the CUDA backend (needs nvcc, cuBLAS and cuDNN)" ${kasf_cuda_found})

set(KASF_WITH_CUDA OFF)
if(NOT KASF_CUDA)
  return()
endif()
if(NOT kasf_cuda_found)
  message(FATAL_ERROR "KASF_CUDA is ON but nvcc was found neither on PATH nor in /usr/local/cuda/bin")
endif()

if(NOT CMAKE_CUDA_COMPILER)
  set(CMAKE_CUDA_COMPILER ${KASF_NVCC})
endif()
if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
  set(CMAKE_CUDA_ARCHITECTURES 80 90)
endif()
enable_language(CUDA)
# CMake before 3.26 does not know nvcc's C++20 flag.
if(NOT CMAKE_CUDA20_STANDARD_COMPILE_OPTION)
  set(CMAKE_CUDA20_STANDARD_COMPILE_OPTION -std=c++20)
  set(CMAKE_CUDA20_EXTENSION_COMPILE_OPTION -std=c++20)
endif()
set(CMAKE_CUDA_STANDARD 20)
set(CMAKE_CUDA_STANDARD_REQUIRED ON)
find_package(CUDAToolkit REQUIRED)

# cuDNN ships apart from the toolkit: look next to it first, then in the system paths.
find_path(KASF_CUDNN_INCLUDE_DIR cudnn.h HINTS ${CUDAToolkit_INCLUDE_DIRS} /usr/local/cuda/include)
find_library(KASF_CUDNN_LIBRARY cudnn HINTS ${CUDAToolkit_LIBRARY_DIR} /usr/local/cuda/lib64 /usr/local/cuda/lib)
if(NOT KASF_CUDNN_INCLUDE_DIR OR NOT KASF_CUDNN_LIBRARY)
  message(FATAL_ERROR "KASF_CUDA is ON but cuDNN (cudnn.h, libcudnn) was not found; "
                      "install it or configure with -DKASF_CUDA=OFF")
endif()
message(STATUS "CUDA backend: nvcc ${CMAKE_CUDA_COMPILER_VERSION}, sm ${CMAKE_CUDA_ARCHITECTURES}, "
               "cuDNN ${KASF_CUDNN_LIBRARY}")
set(KASF_WITH_CUDA ON)

function(kasf_add_cuda_backend target)
  file(GLOB cuda_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/framework/cuda/*.cu)
  target_sources(${target} PRIVATE ${cuda_sources})
  target_compile_definitions(${target} PUBLIC KASF_WITH_CUDA)
  target_include_directories(${target} PRIVATE ${KASF_CUDNN_INCLUDE_DIR})
  # cuBLAS is not linked but loaded on first use (framework/cuda/cublas_library.h): linking it costs
  # every process about 0.4 s at start-up. Its headers come with the toolkit's.
  target_link_libraries(${target} PUBLIC CUDA::cudart ${KASF_CUDNN_LIBRARY} ${CMAKE_DL_LIBS})
  target_compile_definitions(${target} PRIVATE KASF_CUDA_LIBRARY_DIR="${CUDAToolkit_LIBRARY_DIR}")
  # Our device and host code compiles warning-free: keep it so.
  target_compile_options(${target} PRIVATE
    "$<$<COMPILE_LANGUAGE:CUDA>:--Werror=all-warnings;-Xcompiler=-Wall,-Wextra,-Wno-unused-parameter,-Werror>")
endfunction()
