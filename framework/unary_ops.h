// Every unary op written once: its value, its derivative, and which of (x, y = op(x)) the derivative
// reads. The CPU loops (framework/cpu/elementwise.cpp), the CUDA kernels
// (framework/cuda/kernels/elementwise.cuh) and the op that decides what a backward saves
// (framework/ops/elementwise.cpp) all use these, so the backends cannot drift apart.
#pragma once
#include <math.h>

#include "framework/backend.h"
#include "framework/fast_math.h"
#include "framework/host_device.h"

namespace kasf {

// A unary op as a compile-time constant, for loops specialised per op.
template <UnaryOp Op>
struct UnaryTag {
  static constexpr UnaryOp op = Op;
};

// f(UnaryTag<op>{}) for the run-time `op`: one switch outside the caller's loop. `f` is a host
// lambda on the CPU and a device lambda in a kernel; nvcc's check of host/device calls would refuse
// the latter from a __host__ __device__ template, hence the pragma that lifts it for this function.
#ifdef __CUDACC__
#pragma nv_exec_check_disable
#endif
template <typename F>
KASF_HOST_DEVICE inline decltype(auto) visit_unary(UnaryOp op, F&& f) {
  switch (op) {
    case UnaryOp::Neg: return f(UnaryTag<UnaryOp::Neg>{});
    case UnaryOp::AddScalar: return f(UnaryTag<UnaryOp::AddScalar>{});
    case UnaryOp::MulScalar: return f(UnaryTag<UnaryOp::MulScalar>{});
    case UnaryOp::PowScalar: return f(UnaryTag<UnaryOp::PowScalar>{});
    case UnaryOp::Exp: return f(UnaryTag<UnaryOp::Exp>{});
    case UnaryOp::Log: return f(UnaryTag<UnaryOp::Log>{});
    case UnaryOp::Sqrt: return f(UnaryTag<UnaryOp::Sqrt>{});
    case UnaryOp::Rsqrt: return f(UnaryTag<UnaryOp::Rsqrt>{});
    case UnaryOp::Abs: return f(UnaryTag<UnaryOp::Abs>{});
    case UnaryOp::Sign: return f(UnaryTag<UnaryOp::Sign>{});
    case UnaryOp::Relu: return f(UnaryTag<UnaryOp::Relu>{});
    case UnaryOp::Gelu: return f(UnaryTag<UnaryOp::Gelu>{});
    case UnaryOp::Tanh: return f(UnaryTag<UnaryOp::Tanh>{});
    case UnaryOp::Sigmoid: return f(UnaryTag<UnaryOp::Sigmoid>{});
    case UnaryOp::Square: return f(UnaryTag<UnaryOp::Square>{});
    case UnaryOp::Reciprocal: break;
  }
  return f(UnaryTag<UnaryOp::Reciprocal>{});
}

KASF_HOST_DEVICE inline float sign_of(float x) { return static_cast<float>((x > 0.0f) - (x < 0.0f)); }

// op(x); `alpha` is the scalar of the *Scalar ops. GELU is the exact x Phi(x), with the erf of
// fast_math.h (within a few float32 ulps of erff); tanh is fast_math.h's (a few ulps of tanhf).
template <UnaryOp Op>
KASF_HOST_DEVICE inline float unary_value(float alpha, float x) {
  if constexpr (Op == UnaryOp::Neg) return -x;
  else if constexpr (Op == UnaryOp::AddScalar) return x + alpha;
  else if constexpr (Op == UnaryOp::MulScalar) return x * alpha;
  else if constexpr (Op == UnaryOp::PowScalar) return powf(x, alpha);
  else if constexpr (Op == UnaryOp::Exp) return expf(x);
  else if constexpr (Op == UnaryOp::Log) return logf(x);
  else if constexpr (Op == UnaryOp::Sqrt) return sqrtf(x);
  else if constexpr (Op == UnaryOp::Rsqrt) return 1.0f / sqrtf(x);
  else if constexpr (Op == UnaryOp::Abs) return fabsf(x);
  else if constexpr (Op == UnaryOp::Sign) return sign_of(x);
  else if constexpr (Op == UnaryOp::Relu) return x > 0.0f ? x : 0.0f;
  else if constexpr (Op == UnaryOp::Gelu) return x * normal_cdf(x);
  else if constexpr (Op == UnaryOp::Tanh) return tanh_approx(x);
  else if constexpr (Op == UnaryOp::Sigmoid) return 1.0f / (1.0f + expf(-x));
  else if constexpr (Op == UnaryOp::Square) return x * x;
  else return 1.0f / x;  // Reciprocal
}

// d op / dx at x, given y = op(x) (each reads only what unary_reads says).
template <UnaryOp Op>
KASF_HOST_DEVICE inline float unary_slope(float alpha, float x, float y) {
  if constexpr (Op == UnaryOp::Neg) return -1.0f;
  else if constexpr (Op == UnaryOp::AddScalar) return 1.0f;
  else if constexpr (Op == UnaryOp::MulScalar) return alpha;
  else if constexpr (Op == UnaryOp::PowScalar) return alpha * powf(x, alpha - 1.0f);
  else if constexpr (Op == UnaryOp::Exp) return y;
  else if constexpr (Op == UnaryOp::Log) return 1.0f / x;
  else if constexpr (Op == UnaryOp::Sqrt) return 0.5f / y;
  else if constexpr (Op == UnaryOp::Rsqrt) return -0.5f * y / x;
  else if constexpr (Op == UnaryOp::Abs) return sign_of(x);
  else if constexpr (Op == UnaryOp::Sign) return 0.0f;
  else if constexpr (Op == UnaryOp::Relu) return x > 0.0f ? 1.0f : 0.0f;
  else if constexpr (Op == UnaryOp::Gelu) return normal_cdf(x) + x * normal_pdf(x);
  else if constexpr (Op == UnaryOp::Tanh) return 1.0f - y * y;
  else if constexpr (Op == UnaryOp::Sigmoid) return y * (1.0f - y);
  else if constexpr (Op == UnaryOp::Square) return 2.0f * x;
  else return -y * y;  // Reciprocal
}

// op(x) and op'(x) together, for a backward that recomputes the forward it did not keep: from one
// evaluation where the two share work (GELU's value and derivative share fast_math.h's normal_parts,
// which the compiler evaluates once). Only for ops whose derivative needs no more than x and y.
struct ValueAndSlope {
  float value, slope;
};

template <UnaryOp Op>
KASF_HOST_DEVICE inline ValueAndSlope unary_value_and_slope(float alpha, float x) {
  const float y = unary_value<Op>(alpha, x);
  return {y, unary_slope<Op>(alpha, x, y)};
}

// Which of (x, y) unary_slope<op> reads: a backward saves only those, so that e.g. a scaling of
// attention scores keeps neither its input nor its output alive until backward.
struct UnaryReads {
  bool x, y;
};

constexpr UnaryReads unary_reads(UnaryOp op) {
  switch (op) {
    case UnaryOp::Neg: case UnaryOp::AddScalar: case UnaryOp::MulScalar: case UnaryOp::Sign: return {false, false};
    case UnaryOp::Exp: case UnaryOp::Sqrt: case UnaryOp::Tanh: case UnaryOp::Sigmoid: case UnaryOp::Reciprocal:
      return {false, true};
    case UnaryOp::Rsqrt: return {true, true};
    case UnaryOp::PowScalar: case UnaryOp::Log: case UnaryOp::Abs: case UnaryOp::Relu: case UnaryOp::Gelu:
    case UnaryOp::Square: return {true, false};
  }
  return {true, true};
}

}  // namespace kasf
