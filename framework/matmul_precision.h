// How GEMMs multiply (`--precision`): fp32, or bf16 operands with fp32 accumulation. bf16 keeps the
// fp32 tensors, weights and optimizer state as they are and rounds only the GEMM inputs to bf16 (8
// significant bits) on the way in, about twice the multiply throughput where the hardware has bf16
// dot products (AVX512-BF16, AMX; tensor cores). Process-wide, like the thread count: every backend's
// GEMMs follow it (docs/design.md, "Precision").
#pragma once
#include <string>

#include "framework/backend.h"

namespace kasf {

enum class MatmulPrecision { fp32, bf16 };

MatmulPrecision matmul_precision();
void set_matmul_precision(MatmulPrecision precision);

// Throws std::invalid_argument when `device` multiplies on this CPU (cpu, emulated_cuda) and bf16
// is asked for without bf16 dot products (AVX512-BF16, AMX): emulated, they are slower than fp32.
void require_matmul_precision(MatmulPrecision precision, Device device);

// "fp32" | "bf16"; throws std::invalid_argument naming the accepted values otherwise.
MatmulPrecision parse_matmul_precision(const std::string& text);
const char* to_string(MatmulPrecision precision);

}  // namespace kasf
