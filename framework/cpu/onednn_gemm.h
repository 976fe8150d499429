// GEMM products on oneDNN's matmul: fp32 operands (faster than OpenBLAS for the thin products of
// linear layers, whose depth is the model width), or operands rounded to bf16 (MatmulPrecision::bf16:
// to nearest, ties to even; subnormals flush to zero, as the CPU's conversion instruction does),
// always accumulated in fp32 into an fp32 C. Each call is one product for one tile of the pool,
// single-threaded.
#pragma once
#include <cstdint>

#include "framework/backend.h"

namespace kasf::cpu {

// Whether oneDNN runs bf16 GEMMs natively on this CPU (AVX512-BF16 or AMX).
bool has_bf16_gemm();

// `count` runs of `length` floats, `stride` apart from `src`, rounded to bf16 (the top 16 bits of
// the float each rounds to; NaN stays NaN) into `dst` at the same offsets; the pool converts them.
// Only where has_bf16_gemm().
void round_to_bf16(const float* src, uint16_t* dst, int64_t count, int64_t length, int64_t stride);

// C = alpha op(A) op(B) + beta C for one product of fp32 operands.
void onednn_product(const GemmArgs& g);
// The same from operands already rounded (a and b point into bf16 copies laid out as g.a and g.b).
void onednn_product_bf16(const GemmArgs& g, const uint16_t* a, const uint16_t* b);

}  // namespace kasf::cpu
