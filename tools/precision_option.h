// The --precision option of kasf_train, kasf_eval, kasf_infer and kasf_bench
// (framework/matmul_precision.h).
#pragma once
#include <string>

#include "framework/backend.h"

namespace kasf {

extern const char* const kPrecisionOptionHelp;

// Parses `value` and sets the process's GEMM precision for `device`; throws std::invalid_argument
// naming --precision for an unknown value or bf16 where it would be emulated.
void apply_precision_option(const std::string& value, Device device);

}  // namespace kasf
