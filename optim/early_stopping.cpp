#include "optim/early_stopping.h"

#include <stdexcept>
#include <string>

namespace kasf {

EarlyStopping::EarlyStopping(int64_t patience) : patience_(patience) {
  if (patience < 1)
    throw std::invalid_argument("early stopping: patience must be >= 1, got " + std::to_string(patience));
}

bool EarlyStopping::observe(double metric) {
  if (metric < state_.best) {
    state_.best = metric;
    state_.epochs_without_improvement = 0;
    return true;
  }
  ++state_.epochs_without_improvement;
  return false;
}

void EarlyStopping::load_state(const EarlyStoppingState& state) {
  if (state.epochs_without_improvement < 0)
    throw std::invalid_argument("early stopping state: epochs_without_improvement must be >= 0, got " +
                                std::to_string(state.epochs_without_improvement));
  state_ = state;
}

}  // namespace kasf
