// The CPU GEMM kernel on each of its paths (single, stacked rows, few large, many large, many
// small; OpenBLAS and oneDNN), every transpose combination, padded leading dimensions, shared operands (batch stride 0)
// alpha/beta and the bias epilogue, against a direct double-precision loop; in bf16 precision against the same loop
// on operands rounded to bf16 by an independent rule.
#define BOOST_TEST_MODULE ops_kernels
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "framework/backend.h"
#include "framework/cpu/onednn_gemm.h"
#include "framework/matmul_precision.h"
#include "framework/random.h"

namespace kasf {
namespace {

struct GemmCase {
  int64_t m, n, k, batch;
  bool shared_a = false, shared_b = false;  // batch stride 0
  float alpha = 1.0f, beta = 0.0f;
  bool rounded_to_bf16 = false;  // the product the kernel must compute: of bf16-rounded operands
  bool with_bias = false;        // GemmArgs::bias: n values added to every row of every product
};

// The nearer of the two bf16 values around x (the float truncated to its top 16 bits, and one bf16
// step away from zero), the one with an even last bit on a tie: bf16 rounding stated without bit
// tricks. Past the largest bf16 the step away from zero is infinity, at the distance of 2^128.
float bf16_reference(float x) {
  if (!std::isfinite(x)) return x;
  uint32_t bits;
  std::memcpy(&bits, &x, 4);
  const uint32_t down_bits = bits & 0xffff0000u, up_bits = down_bits + 0x10000u;
  float down, up;
  std::memcpy(&down, &down_bits, 4);
  std::memcpy(&up, &up_bits, 4);
  const double up_value = std::isinf(up) ? std::copysign(0x1p128, x) : up;
  const double to_down = std::fabs(static_cast<double>(x) - down), to_up = std::fabs(up_value - x);
  if (to_down != to_up) return to_down < to_up ? down : up;
  return (down_bits & 0x10000u) == 0 ? down : up;
}

// Sets the process-wide precision for one test and restores fp32 after it.
struct PrecisionScope {
  explicit PrecisionScope(MatmulPrecision p) { set_matmul_precision(p); }
  ~PrecisionScope() { set_matmul_precision(MatmulPrecision::fp32); }
};

// Runs one case for all four transpose combinations (leading dimensions padded by 3) and returns
// the worst |C - expected| / (1e-4 (1 + |expected|)) and where it was: 1 is the limit.
struct GemmError {
  double worst = 0.0;
  std::string where;
};

GemmError gemm_error(const GemmCase& g) {
  GemmError error;
  Generator gen(42);
  for (bool ta : {false, true})
    for (bool tb : {false, true}) {
      const int64_t a_rows = ta ? g.k : g.m, a_cols = ta ? g.m : g.k;
      const int64_t b_rows = tb ? g.n : g.k, b_cols = tb ? g.k : g.n;
      const int64_t lda = a_cols + 3, ldb = b_cols + 3, ldc = g.n + 3;
      const int64_t stride_a = g.shared_a ? 0 : a_rows * lda, stride_b = g.shared_b ? 0 : b_rows * ldb;
      const int64_t stride_c = g.m * ldc;
      std::vector<float> a((g.shared_a ? 1 : g.batch) * a_rows * lda), b((g.shared_b ? 1 : g.batch) * b_rows * ldb);
      std::vector<float> c(g.batch * stride_c), bias(g.n);
      for (float& v : bias) v = gen.uniform(-2.0f, 2.0f);
      for (float& v : a) v = gen.uniform(-1.0f, 1.0f);
      for (float& v : b) v = gen.uniform(-1.0f, 1.0f);
      // With beta = 0, C must not be read: NaN there would leak into the result.
      for (float& v : c) v = g.beta == 0.0f ? std::numeric_limits<float>::quiet_NaN() : gen.uniform(-1.0f, 1.0f);
      const std::vector<float> c_before = c;
      backend_for(Device::CPU)
          .gemm({.trans_a = ta, .trans_b = tb, .m = g.m, .n = g.n, .k = g.k, .alpha = g.alpha, .a = a.data(), .lda = lda,
                 .stride_a = stride_a, .b = b.data(), .ldb = ldb, .stride_b = stride_b, .beta = g.beta, .c = c.data(),
                 .ldc = ldc, .stride_c = stride_c, .batch = g.batch, .bias = g.with_bias ? bias.data() : nullptr});
      for (int64_t q = 0; q < g.batch; ++q)
        for (int64_t i = 0; i < g.m; ++i)
          for (int64_t j = 0; j < g.n; ++j) {
            double acc = 0.0;
            for (int64_t p = 0; p < g.k; ++p) {
              float av = a[q * stride_a + (ta ? p * lda + i : i * lda + p)];
              float bv = b[q * stride_b + (tb ? j * ldb + p : p * ldb + j)];
              if (g.rounded_to_bf16) av = bf16_reference(av), bv = bf16_reference(bv);
              acc += static_cast<double>(av) * bv;
            }
            const size_t at = q * stride_c + i * ldc + j;
            const double expected = g.alpha * acc + (g.beta == 0.0f ? 0.0 : g.beta * c_before[at]) +
                                    (g.with_bias ? bias[j] : 0.0);
            const double ratio = std::fabs(c[at] - expected) / (1e-4 * (1.0 + std::fabs(expected)));
            if (!(ratio <= error.worst)) {  // NaN is the worst
              error.worst = std::isnan(ratio) ? INFINITY : ratio;
              error.where = "trans_a " + std::to_string(ta) + " trans_b " + std::to_string(tb) + " C[" +
                            std::to_string(q) + ", " + std::to_string(i) + ", " + std::to_string(j) + "] = " +
                            std::to_string(c[at]) + ", expected " + std::to_string(expected);
            }
          }
      // The padding between rows of C is left alone.
      for (int64_t q = 0; q < g.batch; ++q)
        for (int64_t i = 0; i < g.m; ++i)
          for (int64_t j = g.n; j < ldc; ++j) {
            const size_t at = q * stride_c + i * ldc + j;
            BOOST_REQUIRE(std::isnan(c_before[at]) ? std::isnan(c[at]) : c[at] == c_before[at]);
          }
    }
  return error;
}

void check_gemm(const GemmCase& g) {
  const GemmError error = gemm_error(g);
  BOOST_TEST(error.worst <= 1.0, error.where);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gemm)

BOOST_AUTO_TEST_CASE(single_product) { check_gemm({33, 27, 40, 1, false, false, 1.5f, 0.5f}); }
BOOST_AUTO_TEST_CASE(shared_right_operand) { check_gemm({17, 8, 16, 6, false, true}); }
BOOST_AUTO_TEST_CASE(shared_left_operand) { check_gemm({17, 16, 17, 5, true, false}); }
BOOST_AUTO_TEST_CASE(few_large_products) { check_gemm({40, 33, 27, 2, false, false, 0.5f, 1.0f}); }
BOOST_AUTO_TEST_CASE(many_large_products) { check_gemm({40, 33, 27, 5}); }
BOOST_AUTO_TEST_CASE(many_small_products) { check_gemm({17, 17, 16, 300, false, false, 0.25f, 0.0f}); }
BOOST_AUTO_TEST_CASE(many_small_products_accumulating) { check_gemm({17, 16, 17, 9, false, false, 2.0f, -1.0f}); }
BOOST_AUTO_TEST_CASE(empty_inner_dimension) { check_gemm({5, 4, 0, 3, false, false, 1.0f, 0.5f}); }
// The bias epilogue on every path: one small product, a batch on a shared operand, a batch stacked
// into one tall product, oneDNN's products tiled by rows and by columns, after beta C, and alone.
BOOST_AUTO_TEST_CASE(bias_epilogue) {
  check_gemm({33, 27, 40, 1, false, false, 1.5f, 0.0f, false, true});
  check_gemm({17, 8, 16, 6, false, true, 1.0f, 0.0f, false, true});
  check_gemm({1100, 48, 40, 2, false, false, 1.0f, 0.0f, false, true});
  check_gemm({48, 1100, 40, 1, false, false, 0.5f, 1.0f, false, true});
  check_gemm({5, 4, 0, 3, false, false, 1.0f, 0.5f, false, true});
}
// Products of 2^20 multiply-adds and more run on oneDNN (single, shared operand, tall and tiled).
BOOST_AUTO_TEST_CASE(large_products) {
  check_gemm({160, 96, 72, 1, false, false, 1.5f, 0.5f});
  check_gemm({130, 100, 96, 3, false, true, 0.5f, 1.0f});
  check_gemm({1100, 48, 40, 2});
}

BOOST_AUTO_TEST_SUITE(bf16)

BOOST_AUTO_TEST_CASE(rounding_is_to_nearest_ties_to_even) {
  BOOST_TEST_REQUIRE(cpu::has_bf16_gemm(), "this CPU has no bf16 dot products; the case below checks the refusal");
  const std::vector<float> values = {1.0f, 1.0f + 0x1p-8f, 1.0f + 3 * 0x1p-8f, 1.0f + 0x1p-8f + 0x1p-20f,
                                     -2.75f + 0x1p-9f, 3.0e38f, std::numeric_limits<float>::max(), -0.0f,
                                     std::numeric_limits<float>::infinity(), 1e-30f, -7.0e-39f /* subnormal */,
                                     std::numeric_limits<float>::quiet_NaN(), 0.1f, -123.456f, 65504.0f, 1.0f - 0x1p-9f,
                                     0x1p-126f, 3.3f, 5.5f};  // 19: one run of 16 and a tail of 3
  std::vector<uint16_t> rounded(values.size() + 1, 0xabcd);
  cpu::round_to_bf16(values.data(), rounded.data(), 1, static_cast<int64_t>(values.size()), 0);
  BOOST_TEST(rounded.back() == 0xabcd);  // nothing written past the run
  for (size_t i = 0; i < values.size(); ++i) {
    const uint32_t bits = static_cast<uint32_t>(rounded[i]) << 16;
    float back;
    std::memcpy(&back, &bits, 4);
    const float x = values[i];
    if (std::isnan(x)) {
      BOOST_TEST(std::isnan(back));
    } else if (std::fpclassify(x) == FP_SUBNORMAL) {
      BOOST_TEST((back == 0.0f && std::signbit(back) == std::signbit(x)), "x = " << x);
    } else {
      BOOST_TEST(back == bf16_reference(x), "x = " << x);
    }
  }
}

// bf16 on this CPU only with bf16 dot products; the GPU decides for itself.
BOOST_AUTO_TEST_CASE(bf16_is_refused_only_without_bf16_dot_products) {
  for (const Device device : {Device::CPU, Device::EmulatedCuda}) {
    if (cpu::has_bf16_gemm()) {
      BOOST_CHECK_NO_THROW(require_matmul_precision(MatmulPrecision::bf16, device));
    } else {
      BOOST_CHECK_EXCEPTION(require_matmul_precision(MatmulPrecision::bf16, device), std::invalid_argument,
                            [](const std::invalid_argument& e) { return std::string(e.what()).find("bf16") != std::string::npos; });
    }
  }
  BOOST_CHECK_NO_THROW(require_matmul_precision(MatmulPrecision::bf16, Device::CUDA));
  BOOST_CHECK_NO_THROW(require_matmul_precision(MatmulPrecision::fp32, Device::CPU));
  BOOST_CHECK_THROW(parse_matmul_precision("fp16"), std::invalid_argument);
}

// Products of at least 32 deep and 2^20 multiply-adds run on rounded operands: the result matches
// the rounded operands' product, which the fp32 check above would reject (checked here too).
BOOST_AUTO_TEST_CASE(large_products_multiply_rounded_operands) {
  BOOST_TEST_REQUIRE(cpu::has_bf16_gemm(), "this CPU has no bf16 dot products; the case above checks the refusal");
  PrecisionScope bf16(MatmulPrecision::bf16);
  check_gemm({160, 96, 72, 1, false, false, 1.5f, 0.5f, true});
  check_gemm({130, 100, 96, 3, false, true, 0.5f, 1.0f, true});
  check_gemm({1100, 48, 40, 2, false, false, 1.0f, 0.0f, true});  // tall: tiles over the pool
  check_gemm({1100, 48, 40, 2, false, false, 1.0f, 0.0f, true, true});  // with the bias epilogue
  BOOST_TEST(gemm_error({160, 96, 72, 1}).worst > 10.0);
}

// Attention's small per-head products stay fp32 under bf16.
BOOST_AUTO_TEST_CASE(small_products_stay_fp32) {
  BOOST_TEST_REQUIRE(cpu::has_bf16_gemm(), "this CPU has no bf16 dot products; the case above checks the refusal");
  PrecisionScope bf16(MatmulPrecision::bf16);
  check_gemm({17, 17, 16, 300, false, false, 0.25f, 0.0f});
  check_gemm({27, 27, 16, 40, false, true});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf
