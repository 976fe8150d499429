#include "optim/reduce_lr_on_plateau.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace kasf {

ReduceLROnPlateau::ReduceLROnPlateau(const ReduceLROnPlateauOptions& options) : options_(options) {
  const auto require = [](bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument("ReduceLROnPlateau: " + what);
  };
  require(options.factor >= 0.0 && options.factor < 1.0,
          "factor must be in [0, 1), got " + std::to_string(options.factor));
  require(options.patience >= 0, "patience must be >= 0, got " + std::to_string(options.patience));
  require(options.threshold >= 0.0, "threshold must be >= 0, got " + std::to_string(options.threshold));
  require(options.cooldown >= 0, "cooldown must be >= 0, got " + std::to_string(options.cooldown));
  require(options.min_lr >= 0.0, "min_lr must be >= 0, got " + std::to_string(options.min_lr));
  require(options.eps >= 0.0, "eps must be >= 0, got " + std::to_string(options.eps));
}

double ReduceLROnPlateau::step(double metric, double lr) {
  ++state_.last_epoch;
  // PyTorch's comparison, operation for operation, so boundary cases fall the same way.
  if (metric < state_.best * (1.0 - options_.threshold)) {
    state_.best = metric;
    state_.num_bad_epochs = 0;
  } else {
    ++state_.num_bad_epochs;
  }
  if (state_.cooldown_counter > 0) {
    --state_.cooldown_counter;
    state_.num_bad_epochs = 0;
  }
  if (state_.num_bad_epochs > options_.patience) {
    const double reduced = std::max(lr * options_.factor, options_.min_lr);
    if (lr - reduced > options_.eps) lr = reduced;
    // The cooldown starts even when min_lr or eps kept the lr unchanged, as in PyTorch.
    state_.cooldown_counter = options_.cooldown;
    state_.num_bad_epochs = 0;
  }
  return lr;
}

void ReduceLROnPlateau::load_state(const ReduceLROnPlateauState& state) {
  if (state.num_bad_epochs < 0 || state.cooldown_counter < 0 || state.last_epoch < 0)
    throw std::invalid_argument(
        "ReduceLROnPlateau state: num_bad_epochs (" + std::to_string(state.num_bad_epochs) +
        "), cooldown_counter (" + std::to_string(state.cooldown_counter) + ") and last_epoch (" +
        std::to_string(state.last_epoch) + ") must be >= 0");
  state_ = state;
}

}  // namespace kasf
