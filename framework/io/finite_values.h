// Checking float32 data read from or converted out of files made elsewhere for NaN and infinities:
// kasf refuses them where they enter (dataset and weight files, pickles, checkpoints) and says where
// the first one is, instead of producing NaN losses or "n/a" scores later.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace kasf::io {

// Index of the first NaN or infinity among the float32s (any alignment), or their count.
size_t first_non_finite(std::string_view float32s);

// Throws FormatError "<what> holds NaN at <row_name> <row>" for the first NaN or infinity, with
// rows of `values_per_row` values (1 for the flat index).
void check_finite(const std::string& what, std::string_view float32s, size_t values_per_row, const char* row_name);
inline void check_finite(const std::string& what, const float* values, size_t count, size_t values_per_row,
                         const char* row_name) {
  check_finite(what, {reinterpret_cast<const char*>(values), count * sizeof(float)}, values_per_row, row_name);
}

}  // namespace kasf::io
