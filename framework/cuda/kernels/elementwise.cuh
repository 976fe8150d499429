// Elementwise kernels: fill, strided copy, broadcast binary ops, select, and unary ops with their
// derivatives. One thread per element in grid-stride loops; the formulas are those of the CPU
// backend (framework/cpu/elementwise.cpp), in float.
#pragma once
#include "framework/cuda/kernels/indexing.cuh"

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

constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;

__device__ __forceinline__ float sign_of(float x) { return static_cast<float>((x > 0.0f) - (x < 0.0f)); }

__device__ __forceinline__ float apply_unary(UnaryOp op, float alpha, float x) {
  switch (op) {
    case UnaryOp::Neg: return -x;
    case UnaryOp::AddScalar: return x + alpha;
    case UnaryOp::MulScalar: return x * alpha;
    case UnaryOp::PowScalar: return powf(x, alpha);
    case UnaryOp::Exp: return expf(x);
    case UnaryOp::Log: return logf(x);
    case UnaryOp::Sqrt: return sqrtf(x);
    case UnaryOp::Rsqrt: return 1.0f / sqrtf(x);
    case UnaryOp::Abs: return fabsf(x);
    case UnaryOp::Sign: return sign_of(x);
    case UnaryOp::Relu: return x > 0.0f ? x : 0.0f;
    case UnaryOp::Gelu: return 0.5f * x * (1.0f + erff(x * kInvSqrt2));
    case UnaryOp::Tanh: return tanhf(x);
    case UnaryOp::Sigmoid: return 1.0f / (1.0f + expf(-x));
    case UnaryOp::Square: return x * x;
    case UnaryOp::Reciprocal: return 1.0f / x;
  }
  return 0.0f;
}

// d op / dx at x, given y = op(x).
__device__ __forceinline__ float unary_derivative(UnaryOp op, float alpha, float x, float y) {
  switch (op) {
    case UnaryOp::Neg: return -1.0f;
    case UnaryOp::AddScalar: return 1.0f;
    case UnaryOp::MulScalar: return alpha;
    case UnaryOp::PowScalar: return alpha * powf(x, alpha - 1.0f);
    case UnaryOp::Exp: return y;
    case UnaryOp::Log: return 1.0f / x;
    case UnaryOp::Sqrt: return 0.5f / y;
    case UnaryOp::Rsqrt: return -0.5f * y / x;
    case UnaryOp::Abs: return sign_of(x);
    case UnaryOp::Sign: return 0.0f;
    case UnaryOp::Relu: return x > 0.0f ? 1.0f : 0.0f;
    case UnaryOp::Gelu: return 0.5f * (1.0f + erff(x * kInvSqrt2)) + x * kInvSqrt2Pi * expf(-0.5f * x * x);
    case UnaryOp::Tanh: return 1.0f - y * y;
    case UnaryOp::Sigmoid: return y * (1.0f - y);
    case UnaryOp::Square: return 2.0f * x;
    case UnaryOp::Reciprocal: return -y * y;
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

__global__ void unary_kernel(UnaryOp op, float alpha, const float* x, float* y, int64_t count) {
  for (int64_t i = global_thread(); i < count; i += grid_threads()) y[i] = apply_unary(op, alpha, x[i]);
}

__global__ void unary_backward_kernel(UnaryOp op, float alpha, const float* x, const float* y, const float* gy,
                                      float* gx, int64_t count) {
  for (int64_t i = global_thread(); i < count; i += grid_threads())
    gx[i] = gy[i] * unary_derivative(op, alpha, x[i], y[i]);
}

}  // namespace kasf::KASF_CUDA_NS
