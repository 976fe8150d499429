// Linear warm-up against the values the spec (section 8) lists for lr = 5e-4 and 10 warm-up epochs.
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

BOOST_AUTO_TEST_CASE(rejects_invalid_settings) {
  BOOST_CHECK_THROW(LinearWarmup(5e-4, 0), std::invalid_argument);
  BOOST_CHECK_THROW(LinearWarmup(-1.0, 10), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf
