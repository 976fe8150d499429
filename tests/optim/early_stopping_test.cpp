// Early stopping on hand-made metric sequences (spec section 8: strictly lower is a new best,
// every other epoch counts, stop at counter >= patience).
#include <boost/test/unit_test.hpp>
#include <limits>
#include <stdexcept>
#include <vector>

#include "optim/early_stopping.h"

namespace kasf {
namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Epoch {
  double metric;
  bool new_best;
  int64_t counter;
  bool stop;
};

void check_sequence(EarlyStopping& stopping, const std::vector<Epoch>& epochs) {
  for (size_t i = 0; i < epochs.size(); ++i) {
    BOOST_TEST_CONTEXT("epoch " << i << ", metric " << epochs[i].metric) {
      BOOST_TEST(stopping.observe(epochs[i].metric) == epochs[i].new_best);
      BOOST_TEST(stopping.state().epochs_without_improvement == epochs[i].counter);
      BOOST_TEST(stopping.should_stop() == epochs[i].stop);
    }
  }
}

BOOST_AUTO_TEST_SUITE(early_stopping)

BOOST_AUTO_TEST_CASE(counts_epochs_without_a_strictly_lower_metric) {
  EarlyStopping stopping(3);
  check_sequence(stopping, {{80.0, true, 0, false},
                            {75.0, true, 0, false},
                            {75.0, false, 1, false},  // equal is not an improvement
                            {76.0, false, 2, false},
                            {74.9, true, 0, false},  // a new best resets the counter
                            {kNaN, false, 1, false},  // a NaN metric is never a best
                            {75.0, false, 2, false},
                            {74.9, false, 3, true}});
  BOOST_TEST(stopping.state().best == 74.9);
}

BOOST_AUTO_TEST_CASE(patience_one_stops_after_the_first_setback) {
  EarlyStopping stopping(1);
  check_sequence(stopping, {{10.0, true, 0, false}, {11.0, false, 1, true}});
}

BOOST_AUTO_TEST_CASE(restored_state_continues_the_count) {
  EarlyStopping first(3);
  check_sequence(first, {{50.0, true, 0, false}, {51.0, false, 1, false}, {52.0, false, 2, false}});
  EarlyStopping resumed(3);
  resumed.load_state(first.state());
  check_sequence(resumed, {{50.0, false, 3, true}});
}

BOOST_AUTO_TEST_CASE(rejects_invalid_settings_and_state) {
  BOOST_CHECK_THROW(EarlyStopping(0), std::invalid_argument);
  EarlyStopping stopping(2);
  BOOST_CHECK_THROW(stopping.load_state({1.0, -1}), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf
