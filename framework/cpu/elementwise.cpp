// Elementwise kernels: binary ops with broadcasting, select, multiply-add, and unary ops with their
// derivatives.

#include <cmath>

#include "framework/cpu/cpu_backend.h"
#include "framework/cpu/strided_loop.h"
#include "framework/unary_ops.h"

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

template <typename VS>
[[gnu::target_clones("avx512f", "arch=x86-64-v3", "default")]] void value_and_derivative_chunk(VS vs, const float* x,
                                                                                                 float* y, float* g,
                                                                                                 int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const ValueAndSlope v = vs(x[i]);
    y[i] = v.value;
    g[i] *= v.slope;
  }
}

// The runs of the binary and multiply-add kernels where every operand is dense or one value along
// the run (a row-broadcast operand, a layer scale's column, a per-row weight), compiled like the
// unary loops; kOne* marks the operands that are one value.
template <bool kOneX, bool kOneY, typename F>
[[gnu::target_clones("avx512f", "arch=x86-64-v3", "default")]] void binary_run(F f, const float* x, const float* y,
                                                                                  float* o, int64_t n) {
  const float xv = *x, yv = *y;
  for (int64_t i = 0; i < n; ++i) o[i] = f(kOneX ? xv : x[i], kOneY ? yv : y[i]);
}

template <bool kOneY, bool kOneZ>
[[gnu::target_clones("avx512f", "arch=x86-64-v3", "default")]] void multiply_add_run(const float* x, const float* y,
                                                                                        const float* z, float* o,
                                                                                        int64_t n) {
  const float yv = *y, zv = *z;
  for (int64_t i = 0; i < n; ++i) o[i] = x[i] + (kOneY ? yv : y[i]) * (kOneZ ? zv : z[i]);
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
      if (s[1] == 1 && s[2] == 1) {
        binary_run<false, false>(f, x, y, o, n);
      } else if (s[1] == 1 && s[2] == 0) {
        binary_run<false, true>(f, x, y, o, n);
      } else if (s[1] == 0 && s[2] == 1) {
        binary_run<true, false>(f, x, y, o, n);
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

void cpu::map_unary(UnaryOp op, float alpha, const float* x, float* y, int64_t n) {
  visit_unary(op, [&](auto tag) {
    constexpr UnaryOp kOp = decltype(tag)::op;
    map_chunk([alpha](float v) { return unary_value<kOp>(alpha, v); }, x, y, n);
  });
}

void CpuBackend::multiply_add(const float* a, const Layout& a_layout, const float* b, const Layout& b_layout,
                              const float* c, const Layout& c_layout, float* out, const Layout& out_layout) {
  cpu::StridedLoop<4> loop({&out_layout, &a_layout, &b_layout, &c_layout});
  loop.for_each_row([&](const std::array<int64_t, 4>& off, int64_t n, const std::array<int64_t, 4>& s) {
    float* o = out + off[0];
    const float* x = a + off[1];
    const float* y = b + off[2];
    const float* z = c + off[3];
    if (s[1] == 1 && s[2] == 1 && s[3] == 1) {
      multiply_add_run<false, false>(x, y, z, o, n);
    } else if (s[1] == 1 && s[2] == 1 && s[3] == 0) {
      multiply_add_run<false, true>(x, y, z, o, n);
    } else if (s[1] == 1 && s[2] == 0 && s[3] == 1) {
      multiply_add_run<true, false>(x, y, z, o, n);
    } else {
      for (int64_t i = 0; i < n; ++i) o[i * s[0]] = x[i * s[1]] + y[i * s[2]] * z[i * s[3]];
    }
  });
}

void CpuBackend::unary(UnaryOp op, float alpha, const float* x, float* y, int64_t count) {
  for_each_chunk(count, [&](int64_t begin, int64_t n) { cpu::map_unary(op, alpha, x + begin, y + begin, n); });
}

void cpu::map_unary_backward(UnaryOp op, float alpha, const float* x, const float* y, const float* gy, float* gx,
                             int64_t n) {
  visit_unary(op, [&](auto tag) {
    constexpr UnaryOp kOp = decltype(tag)::op;
    derivative_chunk([alpha](float xv, float yv) { return unary_slope<kOp>(alpha, xv, yv); }, x, y, gy, gx, n);
  });
}

void cpu::map_unary_and_backward(UnaryOp op, const float* x, float* y, float* g, int64_t n) {
  visit_unary(op, [&](auto tag) {
    constexpr UnaryOp kOp = decltype(tag)::op;
    value_and_derivative_chunk([](float v) { return unary_value_and_slope<kOp>(0.0f, v); }, x, y, g, n);
  });
}

void CpuBackend::unary_backward(UnaryOp op, float alpha, const float* x, const float* y, const float* gy,
                                float* gx, int64_t count) {
  for_each_chunk(count, [&](int64_t begin, int64_t n) {
    cpu::map_unary_backward(op, alpha, x + begin, y + begin, gy + begin, gx + begin, n);
  });
}

}  // namespace kasf
