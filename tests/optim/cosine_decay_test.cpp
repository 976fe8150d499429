// Cosine decay at fractions whose cosine is known exactly: cos(pi / 3) = 1/2, cos(pi / 2) = 0,
// cos(2 pi / 3) = -1/2, so the rate lies 3/4, 1/2 and 1/4 of the way from the floor to the peak.
#include <boost/test/unit_test.hpp>
#include <stdexcept>

#include "optim/cosine_decay.h"

namespace kasf {
namespace {

BOOST_AUTO_TEST_SUITE(cosine_decay)

BOOST_AUTO_TEST_CASE(falls_from_the_peak_to_the_floor_along_a_half_cosine) {
  const CosineDecay decay(2e-3, 1e-5);
  const auto between = [](double share) { return 1e-5 + share * (2e-3 - 1e-5); };
  const auto tolerance = boost::test_tools::tolerance(1e-12);
  BOOST_TEST(decay.lr(0.0) == 2e-3, tolerance);
  BOOST_TEST(decay.lr(1.0 / 3.0) == between(0.75), tolerance);
  BOOST_TEST(decay.lr(0.5) == between(0.5), tolerance);
  BOOST_TEST(decay.lr(2.0 / 3.0) == between(0.25), tolerance);
  BOOST_TEST(decay.lr(1.0) == 1e-5, tolerance);
}

BOOST_AUTO_TEST_CASE(holds_the_ends_outside_zero_to_one) {
  const CosineDecay decay(1e-3, 0.0);
  BOOST_TEST(decay.lr(-0.5) == 1e-3);
  BOOST_TEST(decay.lr(1.5) == 0.0);
}

BOOST_AUTO_TEST_CASE(rejects_a_floor_above_the_peak_or_below_zero) {
  BOOST_CHECK_THROW(CosineDecay(1e-3, 2e-3), std::invalid_argument);
  BOOST_CHECK_THROW(CosineDecay(1e-3, -1e-6), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf
