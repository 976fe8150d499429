// Branch-free float32 exp, tanh and normal distribution functions that GCC vectorises inside loops,
// and that the CUDA kernels use too, so both backends compute GELU, tanh and softmax with the same
// formulas.
//
// glibc's expf and erff are scalar calls, and the exact GELU spends most of its time in them; these
// are plain arithmetic with selects (they vectorise with -fno-trapping-math, set for the framework)
// and stay within a few float32 ulps of the exact values (tests/framework/test_fast_math.cpp).
#pragma once
#include <math.h>
#include <stdint.h>

#ifndef __CUDA_ARCH__
#include <bit>
#endif

#include "framework/host_device.h"

namespace kasf {

KASF_HOST_DEVICE inline int32_t float_bits(float x) {
#ifdef __CUDA_ARCH__
  return __float_as_int(x);
#else
  return std::bit_cast<int32_t>(x);
#endif
}

KASF_HOST_DEVICE inline float bits_float(int32_t bits) {
#ifdef __CUDA_ARCH__
  return __int_as_float(bits);
#else
  return std::bit_cast<float>(bits);
#endif
}

// e^x for x <= 0 in two parts, 2^n and e^r - 1, from x = n ln2 + r with |r| <= ln2 / 2: e^r - 1 by
// the degree-7 Taylor polynomial of e^r without its constant term (remainder < 6e-9 relative), 2^n
// built in the exponent bits. Inputs below -87 count as -87 (e^-87 ~ 1.6e-38: their callers' results
// round to 0 or a subnormal anyway).
struct ExpParts {
  float power;     // 2^n
  float expm1_r;   // e^r - 1
};

KASF_HOST_DEVICE inline ExpParts exp_parts(float x) {
  x = x < -87.0f ? -87.0f : x;
  constexpr float kRoundShift = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer in the low bits
  const float shifted = x * 1.44269504f + kRoundShift;
  const float n = shifted - kRoundShift;
  const float r = (x - n * 0.693145752f) - n * 1.42860677e-6f;  // ln 2 split so n * hi is exact
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  const int32_t exponent = float_bits(shifted) - float_bits(kRoundShift);
  return {bits_float((exponent + 127) << 23), p * r};
}

// e^x for x <= 0.
KASF_HOST_DEVICE inline float exp_nonpositive(float x) {
  const ExpParts e = exp_parts(x);
  return (e.expm1_r + 1.0f) * e.power;
}

// e^x - 1 for x <= 0, accurate near 0 where e^x - 1 from e^x would cancel: 2^n (e^r - 1) + (2^n - 1).
KASF_HOST_DEVICE inline float expm1_nonpositive(float x) {
  const ExpParts e = exp_parts(x);
  return e.power * e.expm1_r + (e.power - 1.0f);
}

// tanh x = -expm1(-2|x|) / (2 + expm1(-2|x|)) with the sign of x: branch-free, within a few float32
// ulps of tanhf.
KASF_HOST_DEVICE inline float tanh_approx(float x) {
  const float t = expm1_nonpositive(-2.0f * fabsf(x));
  return copysignf(t / -(2.0f + t), x);
}

// The normal distribution's lower tail Phi(-|x|) = erfc(z) / 2 (z = |x| / sqrt 2) and density
// phi(x), sharing one exponential: erfc(z) = t e^{-z^2} Q(t) with t = 1 / (1 + z/2), where e^{-z^2} =
// e^{-x^2/2} is also the density's. Q is a degree-8 polynomial fitted to erfc(z) e^{z^2} / t over
// z in [0, 10] (relative least squares, reweighted towards the minimax; fractional error below
// 4.3e-8); beyond z = 10 the tail is below float32's smallest normal number and z counts as 10.
// GELU's value reads the tail and its slope both: evaluated together, the compiler computes them once.
struct NormalParts {
  float tail;     // Phi(-|x|)
  float density;  // phi(x)
};

KASF_HOST_DEVICE inline NormalParts normal_parts(float x) {
  float z = fabsf(x) * 0.70710678f;
  z = z > 10.0f ? 10.0f : z;
  const float t = 1.0f / (1.0f + 0.5f * z);
  float q = -0.059069555f;
  q = q * t + 0.28457779f;
  q = q * t - 0.48720554f;
  q = q * t + 0.27807331f;
  q = q * t - 0.026629698f;
  q = q * t + 0.20268847f;
  q = q * t + 0.24310338f;
  q = q * t + 0.28237537f;
  q = q * t + 0.28208640f;
  const float e = exp_nonpositive(-z * z);
  return {0.5f * t * e * q, 0.39894228f * e};
}

// Phi(x), the standard normal CDF; the tail is computed directly on either side, so it keeps its
// relative accuracy for negative x.
KASF_HOST_DEVICE inline float normal_cdf(float x) {
  const float tail = normal_parts(x).tail;
  return x < 0.0f ? tail : 1.0f - tail;
}

// phi(x), the standard normal density.
KASF_HOST_DEVICE inline float normal_pdf(float x) { return normal_parts(x).density; }

}  // namespace kasf
