// ReduceLROnPlateau with PyTorch's semantics in mode 'min' with a relative threshold.
//
// Each step records one epoch's metric (lower is better). A metric counts as an improvement only
// when it is below best * (1 - threshold); after more than `patience` epochs without one the lr is
// multiplied by `factor` (not below min_lr, and not at all when that would change it by eps or
// less), then `cooldown` epochs pass in which bad epochs are not counted.
#pragma once
#include <cstdint>
#include <limits>

namespace kasf {

struct ReduceLROnPlateauOptions {  // PyTorch's defaults
  double factor = 0.1;
  int64_t patience = 10;
  double threshold = 1e-4;
  int64_t cooldown = 0;
  double min_lr = 0.0;
  double eps = 1e-8;
};

// Everything that changes between steps; stored in checkpoints.
struct ReduceLROnPlateauState {
  double best = std::numeric_limits<double>::infinity();
  int64_t num_bad_epochs = 0;
  int64_t cooldown_counter = 0;
  int64_t last_epoch = 0;
};

class ReduceLROnPlateau {
 public:
  explicit ReduceLROnPlateau(const ReduceLROnPlateauOptions& options);  // throws on invalid options

  // Records an epoch's metric and returns the learning rate to continue with: `lr` or its reduction.
  double step(double metric, double lr);

  const ReduceLROnPlateauOptions& options() const { return options_; }
  const ReduceLROnPlateauState& state() const { return state_; }
  void load_state(const ReduceLROnPlateauState& state);  // throws on negative counters

 private:
  ReduceLROnPlateauOptions options_;
  ReduceLROnPlateauState state_;
};

}  // namespace kasf
