// Elementwise kernels: fill, strided copy, broadcast binary ops, select, multiply-add, and unary ops
// with their derivatives. One thread per element in grid-stride loops; the unary formulas are the
// CPU backend's, from framework/unary_ops.h.
#pragma once
#include "framework/cuda/kernels/indexing.cuh"
#include "framework/unary_ops.h"

namespace kasf::KASF_CUDA_NS {

__device__ __forceinline__ float apply_binary(BinaryOp op, float a, float b) {
  switch (op) {
    case BinaryOp::Add: return a + b;
    case BinaryOp::Sub: return a - b;
    case BinaryOp::Mul: return a * b;
    case BinaryOp::Div: return a / b;
    case BinaryOp::Pow: return powf(a, b);
    case BinaryOp::Max: return a > b ? a : b;
    case BinaryOp::Min: return a < b ? a : b;
    case BinaryOp::Eq: return a == b ? 1.0f : 0.0f;
    case BinaryOp::Gt: return a > b ? 1.0f : 0.0f;
    case BinaryOp::Ge: return a >= b ? 1.0f : 0.0f;
  }
  return 0.0f;
}

__global__ void fill_kernel(float* dst, int64_t count, float value) {
  for (int64_t i = global_thread(); i < count; i += grid_threads()) dst[i] = value;
}

// dst and src are views of one shape with `count` elements.
__global__ void copy_kernel(const float* src, Layout src_view, float* dst, Layout dst_view, int64_t count) {
  for (int64_t i = global_thread(); i < count; i += grid_threads())
    dst[strided_offset(dst_view, i)] = src[strided_offset(src_view, i)];
}

// out (contiguous, `count` elements) = op(a, b) for broadcast views a and b of out's shape.
__global__ void binary_kernel(BinaryOp op, const float* a, Layout a_view, const float* b, Layout b_view, float* out,
                              int64_t count) {
  for (int64_t i = global_thread(); i < count; i += grid_threads())
    out[i] = apply_binary(op, a[strided_offset(a_view, i)], b[strided_offset(b_view, i)]);
}

__global__ void select_kernel(const float* cond, Layout cond_view, const float* a, Layout a_view, const float* b,
                              Layout b_view, float* out, int64_t count) {
  for (int64_t i = global_thread(); i < count; i += grid_threads())
    out[i] = cond[strided_offset(cond_view, i)] != 0.0f ? a[strided_offset(a_view, i)] : b[strided_offset(b_view, i)];
}

__global__ void multiply_add_kernel(const float* a, Layout a_view, const float* b, Layout b_view, const float* c,
                                    Layout c_view, float* out, int64_t count) {
  for (int64_t i = global_thread(); i < count; i += grid_threads())
    out[i] = a[strided_offset(a_view, i)] + b[strided_offset(b_view, i)] * c[strided_offset(c_view, i)];
}

__global__ void unary_kernel(UnaryOp op, float alpha, const float* x, float* y, int64_t count) {
  visit_unary(op, [&](auto tag) {
    for (int64_t i = global_thread(); i < count; i += grid_threads()) y[i] = unary_value<decltype(tag)::op>(alpha, x[i]);
  });
}

__global__ void unary_backward_kernel(UnaryOp op, float alpha, const float* x, const float* y, const float* gy,
                                      float* gx, int64_t count) {
  visit_unary(op, [&](auto tag) {
    for (int64_t i = global_thread(); i < count; i += grid_threads())
      gx[i] = gy[i] * unary_slope<decltype(tag)::op>(alpha, x[i], y[i]);
  });
}

}  // namespace kasf::KASF_CUDA_NS
