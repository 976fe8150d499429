// Branch-free float32 exp and normal distribution functions that GCC vectorises inside loops, and
// that the CUDA kernels use too, so both backends compute GELU and softmax with the same formulas.
//
// glibc's expf and erff are scalar calls, and the exact GELU spends most of its time in them; these
// are plain arithmetic with selects (they vectorise with -fno-trapping-math, set for the framework)
// and stay within a few float32 ulps of the exact values.
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

// e^x for x <= 0 (inputs below -87 give e^-87 ~ 1.6e-38, and their callers' results round to 0 or
// a subnormal anyway). x = n ln2 + r with |r| <= ln2 / 2, e^r by its degree-7 Taylor polynomial
// (remainder < 6e-9 relative), 2^n built in the exponent bits.
KASF_HOST_DEVICE inline float exp_nonpositive(float x) {
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
  p = p * r + 1.0f;
  const int32_t exponent = float_bits(shifted) - float_bits(kRoundShift);
  return p * bits_float((exponent + 127) << 23);
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
