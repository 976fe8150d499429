#include "tools/precision_option.h"

#include <stdexcept>

#include "framework/matmul_precision.h"

namespace kasf {

const char* const kPrecisionOptionHelp =
    "fp32 | bf16 (GEMMs on operands rounded to bf16, accumulated in fp32; needs AVX512-BF16 or AMX on a CPU)";

void apply_precision_option(const std::string& value, Device device) {
  try {
    const MatmulPrecision precision = parse_matmul_precision(value);
    require_matmul_precision(precision, device);
    set_matmul_precision(precision);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("--") + e.what());
  }
}

}  // namespace kasf
