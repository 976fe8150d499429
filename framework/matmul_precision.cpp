#include "framework/matmul_precision.h"

#include <atomic>
#include <stdexcept>

#include "framework/cpu/onednn_gemm.h"

namespace kasf {
namespace {
std::atomic<MatmulPrecision> g_precision{MatmulPrecision::fp32};
}  // namespace

MatmulPrecision matmul_precision() { return g_precision.load(std::memory_order_relaxed); }

void set_matmul_precision(MatmulPrecision precision) { g_precision.store(precision, std::memory_order_relaxed); }

void require_matmul_precision(MatmulPrecision precision, Device device) {
  if (precision == MatmulPrecision::bf16 && device != Device::CUDA && !cpu::has_bf16_gemm())
    throw std::invalid_argument("precision bf16: this CPU has no bf16 dot products (AVX512-BF16 or AMX); use fp32");
}

MatmulPrecision parse_matmul_precision(const std::string& text) {
  if (text == "fp32") return MatmulPrecision::fp32;
  if (text == "bf16") return MatmulPrecision::bf16;
  throw std::invalid_argument("precision '" + text + "': expected fp32 or bf16");
}

const char* to_string(MatmulPrecision precision) { return precision == MatmulPrecision::bf16 ? "bf16" : "fp32"; }

}  // namespace kasf
