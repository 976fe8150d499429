// ReduceLROnPlateau against PyTorch 1.13, epoch by epoch, on the scenarios of
// tests/data/optim/reduce_lr_on_plateau_reference.txt (scripts/make_optim_reference.py): the lr and
// the whole scheduler state must agree exactly, since both sides do the same float64 operations.
#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "optim/reduce_lr_on_plateau.h"
#include "tests/optim/reference_table.h"

namespace kasf {
namespace {

const char* const kTable = "../data/optim/reduce_lr_on_plateau_reference.txt";

struct PlateauEpoch {
  double metric;
  double lr_after;
  ReduceLROnPlateauState state_after;
};

struct PlateauScenario {
  std::string name;
  double initial_lr = 0.0;
  ReduceLROnPlateauOptions options;
  std::vector<PlateauEpoch> epochs;
};

std::vector<PlateauScenario> read_scenarios() {
  std::vector<PlateauScenario> scenarios;
  for (const test::ReferenceRecord& r : test::read_reference_table(kTable)) {
    if (r.keyword == "scenario") {
      scenarios.emplace_back().name = r.text(0);
      continue;
    }
    if (scenarios.empty()) throw std::runtime_error(r.where + ": '" + r.keyword + "' before any scenario");
    PlateauScenario& s = scenarios.back();
    if (r.keyword == "options") {
      s.initial_lr = r.number(0);
      s.options = {r.number(1), r.integer(2), r.number(3), r.integer(4), r.number(5), r.number(6)};
    } else if (r.keyword == "epoch") {
      s.epochs.push_back({r.number(0), r.number(1), {r.number(2), r.integer(3), r.integer(4), r.integer(5)}});
    } else {
      throw std::runtime_error(r.where + ": unknown record '" + r.keyword + "'");
    }
  }
  if (scenarios.empty()) throw std::runtime_error(std::string(kTable) + " holds no scenario");
  return scenarios;
}

// Steps `scheduler` through epochs [begin, end) of the scenario and compares with PyTorch after each.
double replay(ReduceLROnPlateau& scheduler, const PlateauScenario& s, size_t begin, size_t end, double lr) {
  for (size_t i = begin; i < end; ++i) {
    const PlateauEpoch& e = s.epochs[i];
    lr = scheduler.step(e.metric, lr);
    BOOST_TEST_CONTEXT(s.name << " epoch " << i + 1 << ", metric " << e.metric) {
      BOOST_TEST(lr == e.lr_after);
      BOOST_TEST(scheduler.state().best == e.state_after.best);
      BOOST_TEST(scheduler.state().num_bad_epochs == e.state_after.num_bad_epochs);
      BOOST_TEST(scheduler.state().cooldown_counter == e.state_after.cooldown_counter);
      BOOST_TEST(scheduler.state().last_epoch == e.state_after.last_epoch);
    }
  }
  return lr;
}

BOOST_AUTO_TEST_SUITE(reduce_lr_on_plateau)

BOOST_AUTO_TEST_CASE(matches_torch_epoch_by_epoch) {
  const std::vector<PlateauScenario> scenarios = read_scenarios();
  BOOST_TEST(scenarios.size() == 3u);
  for (const PlateauScenario& s : scenarios) {
    ReduceLROnPlateau scheduler(s.options);
    replay(scheduler, s, 0, s.epochs.size(), s.initial_lr);
  }
}

BOOST_AUTO_TEST_CASE(restored_state_continues_like_torch) {
  for (const PlateauScenario& s : read_scenarios()) {
    // Stop mid-cooldown or mid-count and resume in a new scheduler from the saved numbers.
    const size_t split = s.epochs.size() / 2;
    ReduceLROnPlateau first(s.options);
    const double lr = replay(first, s, 0, split, s.initial_lr);
    ReduceLROnPlateau resumed(s.options);
    resumed.load_state(first.state());
    replay(resumed, s, split, s.epochs.size(), lr);
  }
}

BOOST_AUTO_TEST_CASE(rejects_invalid_options_and_state) {
  ReduceLROnPlateauOptions options;
  options.factor = 1.0;
  BOOST_CHECK_THROW(ReduceLROnPlateau{options}, std::invalid_argument);
  options = {};
  options.patience = -1;
  BOOST_CHECK_THROW(ReduceLROnPlateau{options}, std::invalid_argument);
  ReduceLROnPlateau scheduler({});
  BOOST_CHECK_THROW(scheduler.load_state({1.0, -1, 0, 0}), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf
