// Seedable, counter-based random numbers: value i of a stream depends only on (seed, i), so a
// GPU kernel can draw the same numbers in parallel, and the state to checkpoint is two integers.
#pragma once
#include <cstdint>

#include "framework/host_device.h"

namespace kasf {

// A 64-bit hash of (seed, counter) with good avalanche (SplitMix64 finaliser over a Weyl sequence).
KASF_HOST_DEVICE inline uint64_t random_bits(uint64_t seed, uint64_t counter) {
  uint64_t z = seed * 0xD1B54A32D192ED03ull + (counter + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
// Uniform in [0, 1) with 24 bits, identical on every backend.
KASF_HOST_DEVICE inline float random_uniform(uint64_t seed, uint64_t counter) {
  return static_cast<float>(random_bits(seed, counter) >> 40) * (1.0f / 16777216.0f);
}

class Generator {
 public:
  explicit Generator(uint64_t seed = 0) : seed_(seed) {}
  uint64_t seed() const { return seed_; }
  uint64_t offset() const { return offset_; }
  void set_state(uint64_t seed, uint64_t offset) { seed_ = seed; offset_ = offset; }
  // Reserves `count` draws and returns the first counter of the range.
  uint64_t advance(uint64_t count) { uint64_t start = offset_; offset_ += count; return start; }

  float uniform();                         // [0, 1)
  float uniform(float low, float high);    // [low, high)
  float normal(float mean, float stddev);  // Box-Muller
  uint64_t below(uint64_t bound);          // uniform integer in [0, bound)

 private:
  uint64_t seed_;
  uint64_t offset_ = 0;
};

}  // namespace kasf
