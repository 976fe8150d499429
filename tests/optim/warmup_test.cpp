// Linear warm-up against the values the spec (section 8) lists for lr = 5e-4 and 10 warm-up epochs,
// and its per-step form against those.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <stdexcept>

#include "optim/warmup.h"

namespace kasf {
namespace {

BOOST_AUTO_TEST_SUITE(warmup)

BOOST_AUTO_TEST_CASE(matches_the_spec_values) {
  const LinearWarmup warmup(5e-4, 10);
  // Spec: 5.0e-6, 5.45e-5, 1.04e-4, ..., 4.505e-4, 5.0e-4; the elided ones continue the step of 4.95e-5.
  const double expected[] = {5.0e-6,   5.45e-5, 1.04e-4,  1.535e-4, 2.03e-4, 2.525e-4,
                             3.02e-4,  3.515e-4, 4.01e-4, 4.505e-4, 5.0e-4};
  for (int epoch = 0; epoch <= 10; ++epoch) {
    BOOST_TEST_CONTEXT("epoch " << epoch) {
      BOOST_TEST(std::abs(warmup.lr(epoch) - expected[epoch]) <= 1e-15 * expected[epoch]);
    }
  }
}

BOOST_AUTO_TEST_CASE(covers_epochs_zero_to_warmup_epochs) {
  const LinearWarmup warmup(5e-4, 10);
  BOOST_TEST(!warmup.covers(-1));
  BOOST_TEST(warmup.covers(0));
  BOOST_TEST(warmup.covers(10));
  BOOST_TEST(!warmup.covers(11));
  BOOST_CHECK_THROW(warmup.lr(11), std::out_of_range);
}

// The per-step form lies on the same line: the official epoch values at whole epochs, the midpoint
// of two of them half-way, the full rate at its end, and nothing beyond.
BOOST_AUTO_TEST_CASE(the_per_step_form_follows_the_same_line) {
  const LinearWarmup warmup(5e-4, 10);
  for (int epoch = 0; epoch < 10; ++epoch) {
    BOOST_TEST_CONTEXT("epoch " << epoch) {
      BOOST_TEST(warmup.lr_at(epoch) == warmup.lr(epoch));
      BOOST_TEST(std::abs(warmup.lr_at(epoch + 0.5) - (warmup.lr(epoch) + warmup.lr(epoch + 1)) / 2) <= 1e-18);
    }
  }
  BOOST_TEST(warmup.lr_at(9.999) < 5e-4);
  BOOST_TEST(warmup.lr_at(10.0) == 5e-4);
  BOOST_CHECK_THROW(warmup.lr_at(10.001), std::out_of_range);
  BOOST_CHECK_THROW(warmup.lr_at(-0.1), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(rejects_invalid_settings) {
  BOOST_CHECK_THROW(LinearWarmup(5e-4, 0), std::invalid_argument);
  BOOST_CHECK_THROW(LinearWarmup(-1.0, 10), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf
