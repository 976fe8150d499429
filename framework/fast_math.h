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

// erfc(z) / 2 for z >= 0, with the Chebyshev fit erfc(z) = t exp(-z^2 + P(t)), t = 1 / (1 + z/2),
// of Press et al., Numerical Recipes (fractional error below 1.2e-7 for all z >= 0).
KASF_HOST_DEVICE inline float half_erfc(float z) {
  z = z > 10.0f ? 10.0f : z;  // erfc(10) ~ 2e-45 is 0 in float32; keeps exp's argument in range
  const float t = 1.0f / (1.0f + 0.5f * z);
  float p = 0.17087277f;
  p = p * t - 0.82215223f;
  p = p * t + 1.48851587f;
  p = p * t - 1.13520398f;
  p = p * t + 0.27886807f;
  p = p * t - 0.18628806f;
  p = p * t + 0.09678418f;
  p = p * t + 0.37409196f;
  p = p * t + 1.00002368f;
  p = p * t - 1.26551223f;
  return 0.5f * t * exp_nonpositive(p - z * z);
}

// Phi(x), the standard normal CDF = erfc(-x / sqrt 2) / 2; the tail is computed directly on either
// side, so it keeps its relative accuracy for negative x.
KASF_HOST_DEVICE inline float normal_cdf(float x) {
  const float tail = half_erfc(fabsf(x) * 0.70710678f);
  return x < 0.0f ? tail : 1.0f - tail;
}

// phi(x), the standard normal density.
KASF_HOST_DEVICE inline float normal_pdf(float x) { return 0.39894228f * exp_nonpositive(-0.5f * x * x); }

}  // namespace kasf
