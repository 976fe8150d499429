// Elementwise kernels: binary ops with broadcasting, select, and unary ops with their derivatives.

#include <cmath>

#include "framework/cpu/cpu_backend.h"
#include "framework/cpu/fast_math.h"
#include "framework/cpu/strided_loop.h"

namespace kasf {

namespace {

// Runs `body(f)` with `f` the scalar function of `op`, so each op gets its own inlined loop.
template <typename Body>
void with_binary(BinaryOp op, Body body) {
  switch (op) {
    case BinaryOp::Add: return body([](float a, float b) { return a + b; });
    case BinaryOp::Sub: return body([](float a, float b) { return a - b; });
    case BinaryOp::Mul: return body([](float a, float b) { return a * b; });
    case BinaryOp::Div: return body([](float a, float b) { return a / b; });
    case BinaryOp::Pow: return body([](float a, float b) { return std::pow(a, b); });
    case BinaryOp::Max: return body([](float a, float b) { return a > b ? a : b; });
    case BinaryOp::Min: return body([](float a, float b) { return a < b ? a : b; });
    case BinaryOp::Eq: return body([](float a, float b) { return a == b ? 1.0f : 0.0f; });
    case BinaryOp::Gt: return body([](float a, float b) { return a > b ? 1.0f : 0.0f; });
    case BinaryOp::Ge: return body([](float a, float b) { return a >= b ? 1.0f : 0.0f; });
  }
}

template <typename Body>
void with_unary(UnaryOp op, float alpha, Body body) {
  switch (op) {
    case UnaryOp::Neg: return body([](float x) { return -x; });
    case UnaryOp::AddScalar: return body([alpha](float x) { return x + alpha; });
    case UnaryOp::MulScalar: return body([alpha](float x) { return x * alpha; });
    case UnaryOp::PowScalar: return body([alpha](float x) { return std::pow(x, alpha); });
    case UnaryOp::Exp: return body([](float x) { return std::exp(x); });
    case UnaryOp::Log: return body([](float x) { return std::log(x); });
    case UnaryOp::Sqrt: return body([](float x) { return std::sqrt(x); });
    case UnaryOp::Rsqrt: return body([](float x) { return 1.0f / std::sqrt(x); });
    case UnaryOp::Abs: return body([](float x) { return std::fabs(x); });
    case UnaryOp::Sign: return body([](float x) { return static_cast<float>((x > 0) - (x < 0)); });
    case UnaryOp::Relu: return body([](float x) { return x > 0 ? x : 0.0f; });
    case UnaryOp::Gelu: return body([](float x) { return x * cpu::normal_cdf(x); });
    case UnaryOp::Tanh: return body([](float x) { return std::tanh(x); });
    case UnaryOp::Sigmoid: return body([](float x) { return 1.0f / (1.0f + std::exp(-x)); });
    case UnaryOp::Square: return body([](float x) { return x * x; });
    case UnaryOp::Reciprocal: return body([](float x) { return 1.0f / x; });
  }
}

// d op / dx as a function of (x, y = op(x)).
template <typename Body>
void with_derivative(UnaryOp op, float alpha, Body body) {
  switch (op) {
    case UnaryOp::Neg: return body([](float, float) { return -1.0f; });
    case UnaryOp::AddScalar: return body([](float, float) { return 1.0f; });
    case UnaryOp::MulScalar: return body([alpha](float, float) { return alpha; });
    case UnaryOp::PowScalar: return body([alpha](float x, float) { return alpha * std::pow(x, alpha - 1.0f); });
    case UnaryOp::Exp: return body([](float, float y) { return y; });
    case UnaryOp::Log: return body([](float x, float) { return 1.0f / x; });
    case UnaryOp::Sqrt: return body([](float, float y) { return 0.5f / y; });
    case UnaryOp::Rsqrt: return body([](float x, float y) { return -0.5f * y / x; });
    case UnaryOp::Abs: return body([](float x, float) { return static_cast<float>((x > 0) - (x < 0)); });
    case UnaryOp::Sign: return body([](float, float) { return 0.0f; });
    case UnaryOp::Relu: return body([](float x, float) { return x > 0 ? 1.0f : 0.0f; });
    case UnaryOp::Gelu:
      return body([](float x, float) { return cpu::normal_cdf(x) + x * cpu::normal_pdf(x); });
    case UnaryOp::Tanh: return body([](float, float y) { return 1.0f - y * y; });
    case UnaryOp::Sigmoid: return body([](float, float y) { return y * (1.0f - y); });
    case UnaryOp::Square: return body([](float x, float) { return 2.0f * x; });
    case UnaryOp::Reciprocal: return body([](float, float y) { return -y * y; });
  }
}

// The unary loops, compiled also for AVX-512 and AVX2 + FMA and picked at load time (the build
// targets baseline x86-64): the polynomial maps (GELU, exp) run several times faster there.
template <typename F>
[[gnu::target_clones("avx512f", "arch=x86-64-v3", "default")]] void map_chunk(F f, const float* x, float* y,
                                                                                 int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = f(x[i]);
}

template <typename DF>
[[gnu::target_clones("avx512f", "arch=x86-64-v3", "default")]] void derivative_chunk(DF df, const float* x,
                                                                                       const float* y, const float* gy,
                                                                                       float* gx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) gx[i] = gy[i] * df(x[i], y[i]);
}

// chunk(begin, n) over contiguous pieces of [0, count) on the thread pool.
template <typename Chunk>
void for_each_chunk(int64_t count, Chunk chunk) {
  cpu::parallel_for(count, cpu::kParallelGrain, [&](int64_t begin, int64_t end) { chunk(begin, end - begin); });
}

}  // namespace

void CpuBackend::binary(BinaryOp op, const float* a, const Layout& a_layout, const float* b,
                        const Layout& b_layout, float* out, const Layout& out_layout) {
  cpu::StridedLoop<3> loop({&out_layout, &a_layout, &b_layout});
  with_binary(op, [&](auto f) {
    loop.for_each_row([&](const std::array<int64_t, 3>& off, int64_t n, const std::array<int64_t, 3>& s) {
      float* o = out + off[0];
      const float* x = a + off[1];
      const float* y = b + off[2];
      // The stride patterns of contiguous and row-broadcast operands get loops the compiler vectorises.
      if (s[1] == 1 && s[2] == 1) {
        for (int64_t i = 0; i < n; ++i) o[i] = f(x[i], y[i]);
      } else if (s[1] == 1 && s[2] == 0) {
        const float yv = *y;
        for (int64_t i = 0; i < n; ++i) o[i] = f(x[i], yv);
      } else if (s[1] == 0 && s[2] == 1) {
        const float xv = *x;
        for (int64_t i = 0; i < n; ++i) o[i] = f(xv, y[i]);
      } else {
        for (int64_t i = 0; i < n; ++i) o[i * s[0]] = f(x[i * s[1]], y[i * s[2]]);
      }
    });
  });
}

void CpuBackend::select(const float* cond, const Layout& cond_layout, const float* a, const Layout& a_layout,
                        const float* b, const Layout& b_layout, float* out, const Layout& out_layout) {
  cpu::StridedLoop<4> loop({&out_layout, &cond_layout, &a_layout, &b_layout});
  loop.for_each_row([&](const std::array<int64_t, 4>& off, int64_t n, const std::array<int64_t, 4>& s) {
    for (int64_t i = 0; i < n; ++i)
      out[off[0] + i * s[0]] = cond[off[1] + i * s[1]] != 0.0f ? a[off[2] + i * s[2]] : b[off[3] + i * s[3]];
  });
}

void CpuBackend::unary(UnaryOp op, float alpha, const float* x, float* y, int64_t count) {
  with_unary(op, alpha, [&](auto f) {
    for_each_chunk(count, [&](int64_t begin, int64_t n) { map_chunk(f, x + begin, y + begin, n); });
  });
}

void CpuBackend::unary_backward(UnaryOp op, float alpha, const float* x, const float* y, const float* gy,
                                float* gx, int64_t count) {
  with_derivative(op, alpha, [&](auto df) {
    for_each_chunk(count, [&](int64_t begin, int64_t n) {
      derivative_chunk(df, x + begin, y + begin, gy + begin, gx + begin, n);
    });
  });
}

}  // namespace kasf
