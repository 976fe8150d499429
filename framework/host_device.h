// Functions that CUDA kernels call too (framework/cuda/kernels/) are compiled for both sides.
#pragma once
#ifdef __CUDACC__
#define KASF_HOST_DEVICE __host__ __device__
#else
#define KASF_HOST_DEVICE
#endif
