// Dropout beyond the op table: mask statistics, fresh masks per call, evaluation mode, p = 1 and
// bad probabilities.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "framework/ops.h"

namespace kasf {

BOOST_AUTO_TEST_SUITE(dropout_mask)

BOOST_AUTO_TEST_CASE(drops_a_fraction_p_and_scales_the_rest) {
  const int64_t count = 200000;
  const float p = 0.3f;
  Generator gen(5);
  Tensor x = Tensor::full({count}, 2.0f).set_requires_grad(true);
  Tensor y = dropout(x, p, true, gen);
  std::vector<float> values = y.to_vector();
  int64_t dropped = 0;
  for (float v : values) {
    if (v == 0.0f)
      ++dropped;
    else
      BOOST_REQUIRE_CLOSE(v, 2.0f / (1.0f - p), 1e-4);
  }
  // Binomial standard deviation is sqrt(p (1 - p) / count) ~ 0.001; allow five of them.
  BOOST_CHECK_SMALL(static_cast<double>(dropped) / count - p, 0.005);
  BOOST_CHECK_EQUAL(gen.offset(), static_cast<uint64_t>(count));  // the generator moved past its draws

  // The gradient is g times the same mask.
  Tensor g = Tensor::full({count}, 3.0f);
  y.backward(g);
  std::vector<float> grad = x.grad().to_vector();
  for (int64_t i = 0; i < count; ++i) BOOST_REQUIRE_CLOSE(grad[i], 1.5f * values[i], 1e-4);
}

BOOST_AUTO_TEST_CASE(successive_calls_draw_new_masks) {
  Generator gen(9);
  Tensor x = Tensor::full({1000}, 1.0f);
  std::vector<float> first = dropout(x, 0.5f, true, gen).to_vector();
  std::vector<float> second = dropout(x, 0.5f, true, gen).to_vector();
  int64_t differ = 0;
  for (size_t i = 0; i < first.size(); ++i) differ += first[i] != second[i];
  BOOST_CHECK_GT(differ, 300);  // about half of the 1000 positions
}

BOOST_AUTO_TEST_CASE(evaluation_and_zero_p_are_the_identity) {
  Generator gen(1);
  Tensor x = Tensor::from_vector({3}, {1.0f, -2.0f, 3.0f});
  BOOST_CHECK(dropout(x, 0.5f, false, gen).same(x));
  BOOST_CHECK(dropout(x, 0.0f, true, gen).same(x));
  BOOST_CHECK_EQUAL(gen.offset(), 0u);
}

BOOST_AUTO_TEST_CASE(p_one_drops_everything) {
  Generator gen(3);
  for (float v : dropout(Tensor::full({100}, 1.0f), 1.0f, true, gen).to_vector()) BOOST_REQUIRE_EQUAL(v, 0.0f);
}

BOOST_AUTO_TEST_CASE(probabilities_outside_zero_one_are_rejected) {
  Generator gen(3);
  BOOST_CHECK_THROW(dropout(Tensor::zeros({2}), -0.1f, true, gen), std::invalid_argument);
  BOOST_CHECK_THROW(dropout(Tensor::zeros({2}), 1.5f, true, gen), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf
