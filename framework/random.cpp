#include "framework/random.h"

#include <cmath>

namespace kasf {

uint64_t random_bits(uint64_t seed, uint64_t counter) {
  uint64_t z = seed * 0xD1B54A32D192ED03ull + (counter + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

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
