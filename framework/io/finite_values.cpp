#include "framework/io/finite_values.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "framework/io/error.h"

namespace kasf::io {

// Whole blocks are screened by the largest magnitude's bits, a loop the compiler vectorizes: this
// scans whole data sets.
size_t first_non_finite(std::string_view float32s) {
  constexpr uint32_t kMagnitude = 0x7fffffff, kInfinity = 0x7f800000;  // NaNs lie above infinity
  constexpr size_t kBlock = 4096;
  const size_t count = float32s.size() / sizeof(float);
  auto magnitude = [&](size_t i) {
    uint32_t bits;
    std::memcpy(&bits, float32s.data() + i * sizeof bits, sizeof bits);
    return bits & kMagnitude;
  };
  size_t start = 0;
  for (; start + kBlock <= count; start += kBlock) {
    uint32_t largest = 0;
    for (size_t i = start; i < start + kBlock; ++i) largest = std::max(largest, magnitude(i));
    if (largest >= kInfinity) break;
  }
  for (size_t i = start; i < count; ++i)
    if (magnitude(i) >= kInfinity) return i;
  return count;
}

void check_finite(const std::string& what, std::string_view float32s, size_t values_per_row, const char* row_name) {
  const size_t bad = first_non_finite(float32s);
  if (bad == float32s.size() / sizeof(float)) return;
  float v;
  std::memcpy(&v, float32s.data() + bad * sizeof v, sizeof v);
  throw FormatError(what + " holds " + (std::isnan(v) ? "NaN" : "infinity") + " at " + row_name + " " +
                    std::to_string(bad / std::max<size_t>(values_per_row, 1)));
}

}  // namespace kasf::io
