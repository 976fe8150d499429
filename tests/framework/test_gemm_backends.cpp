// GEMM features on every backend, against double-precision loops. The epilogue (GemmArgs::activated
// and ::derivative_at), on the CPU on each of its paths (OpenBLAS's small products, a batch, oneDNN's
// tiles by rows and by columns): C keeps the product plus bias and `activated` receives its
// activation (the exact GELU of std::erf), or C is activated in place, or C is multiplied by the
// activation's derivative at another buffer, with or without `activated` receiving the activation of
// that buffer (a backward's recomputed forward). Deep products (a weight gradient's) with every
// transpose and beta. Outer groups of products (GemmArgs::outer_batch) read
// from a token tensor as attention does, with every transpose.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "framework/backend.h"
#include "framework/random.h"
#include "framework/tensor.h"
#include "tests/framework/test_devices.h"

namespace kasf {
namespace {

double activation_reference(UnaryOp op, double x) {
  if (op == UnaryOp::Relu) return x > 0.0 ? x : 0.0;
  return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));  // GELU
}

double derivative_reference(UnaryOp op, double x) {
  if (op == UnaryOp::Relu) return x > 0.0 ? 1.0 : 0.0;
  const double pi = std::acos(-1.0);
  return 0.5 * (1.0 + std::erf(x / std::sqrt(2.0))) + x * std::exp(-0.5 * x * x) / std::sqrt(2.0 * pi);
}

enum class Epilogue { Activate, ActivateInPlace, Derivative, DerivativeAndRecompute };

// `batch` products of (m x k) rows with one shared (n x k) weight, as a linear layer's; C's rows
// padded by 2 and, with a gap, products further apart than their rows (no stacking into one).
struct EpilogueCase {
  int64_t m, n, k, batch;
  UnaryOp op;
  Epilogue epilogue;
  int64_t gap = 0;
};

void check_epilogue(Device device, const EpilogueCase& e) {
  Generator gen(7);
  const int64_t ldc = e.n + 2, stride_c = e.m * ldc + e.gap;
  const int64_t c_size = e.batch * stride_c;
  std::vector<float> a(e.batch * e.m * e.k), b(e.n * e.k), bias(e.n), at(c_size);
  for (float& v : a) v = gen.uniform(-1.0f, 1.0f);
  for (float& v : b) v = gen.uniform(-1.0f, 1.0f);
  for (float& v : bias) v = gen.uniform(-1.0f, 1.0f);
  for (float& v : at) v = gen.uniform(-3.0f, 3.0f);
  Tensor ta = Tensor::from_vector({e.batch * e.m * e.k}, a, device);
  Tensor tb = Tensor::from_vector({e.n * e.k}, b, device);
  Tensor tbias = Tensor::from_vector({e.n}, bias, device);
  Tensor tat = Tensor::from_vector({c_size}, at, device);
  Tensor tc = Tensor::full({c_size}, 5.0f, device);  // 5 and 7: padding to be left alone
  const bool derivative = e.epilogue == Epilogue::Derivative || e.epilogue == Epilogue::DerivativeAndRecompute;
  const bool separate = e.epilogue == Epilogue::Activate || e.epilogue == Epilogue::DerivativeAndRecompute;
  Tensor tact = separate ? Tensor::full({c_size}, 7.0f, device) : tc;
  backend_for(device).gemm(
      {.trans_b = true, .m = e.m, .n = e.n, .k = e.k, .a = ta.data(), .lda = e.k, .stride_a = e.m * e.k,
       .b = tb.data(), .ldb = e.k, .c = tc.data(), .ldc = ldc, .stride_c = stride_c, .batch = e.batch,
       .bias = tbias.data(), .activated = e.epilogue == Epilogue::Derivative ? nullptr : tact.data(),
       .derivative_at = derivative ? tat.data() : nullptr, .activation = e.op});
  const std::vector<float> c = tc.to_vector(), act = tact.to_vector();
  double worst = 0.0;
  std::string where;
  for (int64_t q = 0; q < e.batch; ++q)
    for (int64_t i = 0; i < e.m; ++i)
      for (int64_t j = 0; j < ldc; ++j) {
        const size_t p_at = static_cast<size_t>(q * stride_c + i * ldc + j);
        if (j >= e.n) {
          BOOST_REQUIRE(c[p_at] == 5.0f);
          BOOST_REQUIRE(act[p_at] == (separate ? 7.0f : 5.0f));
          continue;
        }
        double pre = bias[j];
        for (int64_t p = 0; p < e.k; ++p) pre += static_cast<double>(a[(q * e.m + i) * e.k + p]) * b[j * e.k + p];
        // C: the product times the derivative at `at`, or the product (activated elsewhere) or its
        // activation (in place); `activated`: the activation of `at`, or of the product.
        const double post = derivative ? pre * derivative_reference(e.op, at[p_at]) : activation_reference(e.op, pre);
        const double c_expected = derivative || !separate ? post : pre;
        const double act_expected = e.epilogue == Epilogue::DerivativeAndRecompute ? activation_reference(e.op, at[p_at])
                                    : e.epilogue == Epilogue::Derivative          ? c_expected
                                                                                  : post;
        for (const auto& [got, expected] : {std::pair{c[p_at], c_expected}, std::pair{act[p_at], act_expected}}) {
          const double ratio = std::fabs(got - expected) / (1e-4 * (1.0 + std::fabs(expected)));
          if (!(ratio <= worst)) {
            worst = std::isnan(ratio) ? INFINITY : ratio;
            where = "product " + std::to_string(q) + " C[" + std::to_string(i) + ", " + std::to_string(j) +
                    "]: " + std::to_string(got) + ", expected " + std::to_string(expected);
          }
        }
      }
  BOOST_TEST(worst <= 1.0, where);
  // Outside the products (the gaps) nothing is written either.
  for (int64_t q = 0; q < e.batch; ++q)
    for (int64_t g = 0; g < e.gap; ++g) BOOST_REQUIRE(c[static_cast<size_t>(q * stride_c + e.m * ldc + g)] == 5.0f);
}

// Products over a (B, T, J, W) token tensor per joint and sample, as temporal attention's: A (T x T)
// is column block [2, 7) of one joint's frames (rows J W apart, joints W apart, samples T J W apart),
// B (T x n, or n x T when transposed) a dense block per product, C (T x n) dense with padded rows
// and a gap after each product. More groups than products per group, or fewer (B against J).
void check_outer_groups(Device device, int64_t B, int64_t J, bool trans_a, bool trans_b) {
  const int64_t T = 5, W = 12, m = T, k = T, n = 6, ldc = n + 1;
  Generator gen(11);
  std::vector<float> tokens(B * T * J * W), b(B * J * k * n);
  for (float& v : tokens) v = gen.uniform(-1.0f, 1.0f);
  for (float& v : b) v = gen.uniform(-1.0f, 1.0f);
  const int64_t ld_a = J * W, stride_a = W, outer_stride_a = T * J * W;
  const int64_t ld_b = trans_b ? k : n;
  const int64_t stride_c = T * ldc + 2, outer_stride_c = J * stride_c;
  Tensor ta = Tensor::from_vector({B * T * J * W}, tokens, device), tb = Tensor::from_vector({B * J * k * n}, b, device);
  Tensor tc = Tensor::full({B * outer_stride_c}, 3.0f, device);
  backend_for(device).gemm({.trans_a = trans_a, .trans_b = trans_b, .m = m, .n = n, .k = k, .alpha = 0.5f,
                            .a = ta.data() + 2, .lda = ld_a, .stride_a = stride_a, .b = tb.data(), .ldb = ld_b,
                            .stride_b = k * n, .c = tc.data(), .ldc = ldc, .stride_c = stride_c, .batch = J,
                            .outer_batch = B, .outer_stride_a = outer_stride_a, .outer_stride_b = J * k * n,
                            .outer_stride_c = outer_stride_c});
  const std::vector<float> c = tc.to_vector();
  for (int64_t o = 0; o < B; ++o)
    for (int64_t q = 0; q < J; ++q) {
      const float* a0 = tokens.data() + 2 + o * outer_stride_a + q * stride_a;
      const float* b0 = b.data() + (o * J + q) * k * n;
      for (int64_t i = 0; i < stride_c; ++i) {
        const int64_t row = i / ldc, col = i % ldc;
        const float got = c[o * outer_stride_c + q * stride_c + i];
        if (row >= m || col >= n) {  // row padding and the gap after a product stay untouched
          BOOST_REQUIRE(got == 3.0f);
          continue;
        }
        double expected = 0.0;
        for (int64_t p = 0; p < k; ++p) {
          const double av = trans_a ? a0[p * ld_a + row] : a0[row * ld_a + p];
          const double bv = trans_b ? b0[col * ld_b + p] : b0[p * ld_b + col];
          expected += av * bv;
        }
        expected *= 0.5;
        BOOST_TEST(std::fabs(got - expected) <= 1e-4 * (1.0 + std::fabs(expected)),
                   "group " << o << ", product " << q << ", C[" << row << ", " << col << "] = " << got
                            << ", expected " << expected);
      }
    }
}

// A product much deeper than C is large, as a weight gradient's (C = gy^T x over every token's row),
// with alpha, beta and padded rows of C.
void check_deep_product(Device device, int64_t m, int64_t n, int64_t k, bool trans_a, bool trans_b) {
  Generator gen(13);
  const int64_t lda = (trans_a ? m : k) + 1, ldb = (trans_b ? k : n) + 2, ldc = n + 3;
  std::vector<float> a((trans_a ? k : m) * lda), b((trans_b ? n : k) * ldb), c0(m * ldc);
  for (float& v : a) v = gen.uniform(-1.0f, 1.0f);
  for (float& v : b) v = gen.uniform(-1.0f, 1.0f);
  for (float& v : c0) v = gen.uniform(-1.0f, 1.0f);
  Tensor ta = Tensor::from_vector({static_cast<int64_t>(a.size())}, a, device);
  Tensor tb = Tensor::from_vector({static_cast<int64_t>(b.size())}, b, device);
  Tensor tc = Tensor::from_vector({m * ldc}, c0, device);
  backend_for(device).gemm({.trans_a = trans_a, .trans_b = trans_b, .m = m, .n = n, .k = k, .alpha = 0.5f,
                            .a = ta.data(), .lda = lda, .b = tb.data(), .ldb = ldb, .beta = 2.0f, .c = tc.data(),
                            .ldc = ldc});
  const std::vector<float> c = tc.to_vector();
  double worst = 0.0;
  std::string where;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < ldc; ++j) {
      const float got = c[i * ldc + j];
      if (j >= n) {  // the row padding keeps its value
        BOOST_REQUIRE(got == c0[i * ldc + j]);
        continue;
      }
      double sum = 0.0, magnitude = 0.0;
      for (int64_t p = 0; p < k; ++p) {
        const double term = static_cast<double>(trans_a ? a[p * lda + i] : a[i * lda + p]) *
                            (trans_b ? b[j * ldb + p] : b[p * ldb + j]);
        sum += term;
        magnitude += std::fabs(term);
      }
      const double expected = 0.5 * sum + 2.0 * c0[i * ldc + j];
      // float32 accumulation over k terms: relative to the terms' magnitude
      const double ratio = std::fabs(got - expected) / (1e-6 * (magnitude + 1.0));
      if (!(ratio <= worst)) {
        worst = std::isnan(ratio) ? INFINITY : ratio;
        where = "C[" + std::to_string(i) + ", " + std::to_string(j) + "] = " + std::to_string(got) + ", expected " +
                std::to_string(expected);
      }
    }
  BOOST_TEST(worst <= 1.0, where);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gemm_backends)

BOOST_AUTO_TEST_CASE(deep_products_with_beta_and_every_transpose) {
  test::on_every_device([](Device device) {
    for (const bool trans_a : {false, true})
      for (const bool trans_b : {false, true}) {
        BOOST_TEST_CONTEXT("trans_a " << trans_a << ", trans_b " << trans_b) {
          check_deep_product(device, 24, 40, 9000, trans_a, trans_b);  // oneDNN
          check_deep_product(device, 9, 5, 1500, trans_a, trans_b);    // OpenBLAS
        }
      }
  });
}

BOOST_AUTO_TEST_CASE(outer_groups_of_products_on_a_token_layout) {
  test::on_every_device([](Device device) {
    for (const bool trans_a : {false, true})
      for (const bool trans_b : {false, true}) {
        BOOST_TEST_CONTEXT("trans_a " << trans_a << ", trans_b " << trans_b) {
          check_outer_groups(device, 3, 4, trans_a, trans_b);
          check_outer_groups(device, 5, 2, trans_a, trans_b);
        }
      }
  });
}

BOOST_AUTO_TEST_CASE(activation_or_derivative_after_bias) {
  test::on_every_device([](Device device) {
    for (const UnaryOp op : {UnaryOp::Gelu, UnaryOp::Relu})
      for (const Epilogue epilogue : {Epilogue::Activate, Epilogue::ActivateInPlace, Epilogue::Derivative,
                                      Epilogue::DerivativeAndRecompute}) {
        BOOST_TEST_CONTEXT("op " << static_cast<int>(op) << ", epilogue " << static_cast<int>(epilogue)) {
          check_epilogue(device, {17, 24, 16, 3, op, epilogue});       // small products, stacked
          check_epilogue(device, {17, 24, 16, 3, op, epilogue, 5});    // a batch of separate products
          check_epilogue(device, {1100, 48, 40, 1, op, epilogue});     // large: tiles of rows
          check_epilogue(device, {48, 1100, 40, 2, op, epilogue, 3});  // large: tiles of columns
        }
      }
  });
}

// A derivative that reads the activation's output (tanh) has no input-only form, and the activation
// a derivative epilogue recomputes cannot overwrite the C it is multiplied into.
BOOST_AUTO_TEST_CASE(unsupported_epilogues_are_refused) {
  test::on_every_device([](Device device) {
    Tensor x = Tensor::full({4}, 1.0f, device), y = Tensor::full({4}, 0.0f, device);
    const GemmArgs tanh_derivative{.m = 2, .n = 2, .k = 1, .a = x.data(), .lda = 1, .b = x.data(), .ldb = 2,
                                   .c = y.data(), .ldc = 2, .derivative_at = x.data(), .activation = UnaryOp::Tanh};
    BOOST_CHECK_THROW(backend_for(device).gemm(tanh_derivative), std::invalid_argument);
    GemmArgs into_c = tanh_derivative;
    into_c.activation = UnaryOp::Gelu;
    into_c.activated = y.data();
    BOOST_CHECK_THROW(backend_for(device).gemm(into_c), std::invalid_argument);
  });
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf
