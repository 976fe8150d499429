// The CPU GEMM kernel on each of its paths (single, stacked rows, few large, many large, many
// small), every transpose combination, padded leading dimensions, shared operands (batch stride 0)
// and alpha/beta, against a direct double-precision loop.
#define BOOST_TEST_MODULE ops_kernels
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "framework/backend.h"
#include "framework/random.h"

namespace kasf {
namespace {

struct GemmCase {
  int64_t m, n, k, batch;
  bool shared_a = false, shared_b = false;  // batch stride 0
  float alpha = 1.0f, beta = 0.0f;
};

// Runs one case for all four transpose combinations; leading dimensions are padded by 3.
void check_gemm(const GemmCase& g) {
  Generator gen(42);
  for (bool ta : {false, true})
    for (bool tb : {false, true}) {
      const int64_t a_rows = ta ? g.k : g.m, a_cols = ta ? g.m : g.k;
      const int64_t b_rows = tb ? g.n : g.k, b_cols = tb ? g.k : g.n;
      const int64_t lda = a_cols + 3, ldb = b_cols + 3, ldc = g.n + 3;
      const int64_t stride_a = g.shared_a ? 0 : a_rows * lda, stride_b = g.shared_b ? 0 : b_rows * ldb;
      const int64_t stride_c = g.m * ldc;
      std::vector<float> a((g.shared_a ? 1 : g.batch) * a_rows * lda), b((g.shared_b ? 1 : g.batch) * b_rows * ldb);
      std::vector<float> c(g.batch * stride_c);
      for (float& v : a) v = gen.uniform(-1.0f, 1.0f);
      for (float& v : b) v = gen.uniform(-1.0f, 1.0f);
      // With beta = 0, C must not be read: NaN there would leak into the result.
      for (float& v : c) v = g.beta == 0.0f ? std::numeric_limits<float>::quiet_NaN() : gen.uniform(-1.0f, 1.0f);
      const std::vector<float> c_before = c;
      backend_for(Device::CPU)
          .gemm({.trans_a = ta, .trans_b = tb, .m = g.m, .n = g.n, .k = g.k, .alpha = g.alpha, .a = a.data(), .lda = lda,
                 .stride_a = stride_a, .b = b.data(), .ldb = ldb, .stride_b = stride_b, .beta = g.beta, .c = c.data(),
                 .ldc = ldc, .stride_c = stride_c, .batch = g.batch});
      for (int64_t q = 0; q < g.batch; ++q)
        for (int64_t i = 0; i < g.m; ++i)
          for (int64_t j = 0; j < g.n; ++j) {
            double acc = 0.0;
            for (int64_t p = 0; p < g.k; ++p) {
              const float av = a[q * stride_a + (ta ? p * lda + i : i * lda + p)];
              const float bv = b[q * stride_b + (tb ? j * ldb + p : p * ldb + j)];
              acc += static_cast<double>(av) * bv;
            }
            const size_t at = q * stride_c + i * ldc + j;
            const double expected = g.alpha * acc + (g.beta == 0.0f ? 0.0 : g.beta * c_before[at]);
            BOOST_REQUIRE_MESSAGE(std::fabs(c[at] - expected) <= 1e-4 * (1.0 + std::fabs(expected)),
                                  "trans_a " << ta << " trans_b " << tb << " C[" << q << ", " << i << ", " << j
                                             << "] = " << c[at] << ", expected " << expected);
          }
      // The padding between rows of C is left alone.
      for (int64_t q = 0; q < g.batch; ++q)
        for (int64_t i = 0; i < g.m; ++i)
          for (int64_t j = g.n; j < ldc; ++j) {
            const size_t at = q * stride_c + i * ldc + j;
            BOOST_REQUIRE(std::isnan(c_before[at]) ? std::isnan(c[at]) : c[at] == c_before[at]);
          }
    }
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

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf
