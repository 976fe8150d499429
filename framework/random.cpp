#include "framework/random.h"

#include <cmath>

namespace kasf {

float Generator::uniform() { return random_uniform(seed_, advance(1)); }

float Generator::uniform(float low, float high) { return low + (high - low) * uniform(); }

float Generator::normal(float mean, float stddev) {
  // 1 - u keeps the logarithm finite.
  double u1 = 1.0 - static_cast<double>(uniform());
  double u2 = uniform();
  return mean + stddev * static_cast<float>(std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2));
}

uint64_t Generator::below(uint64_t bound) {
  // Lemire's multiply-shift; the bias is below 2^-32 for the bounds used here.
  uint64_t r = random_bits(seed_, advance(1)) >> 32;
  return (r * bound) >> 32;
}

}  // namespace kasf
