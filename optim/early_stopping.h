// Early stopping on a validation metric (lower is better), as the official training script does it
// (spec section 8): every epoch without a strictly lower metric than the best so far adds one to a
// counter, a new best resets it, and training stops once the counter reaches `patience`.
#pragma once
#include <cstdint>
#include <limits>

namespace kasf {

// Everything that changes between epochs; stored in checkpoints.
struct EarlyStoppingState {
  double best = std::numeric_limits<double>::infinity();
  int64_t epochs_without_improvement = 0;
};

class EarlyStopping {
 public:
  explicit EarlyStopping(int64_t patience);  // throws unless patience >= 1

  // Records an epoch's metric; true when it is a new best (the epoch whose checkpoint is kept as best).
  // A NaN metric is never a new best.
  bool observe(double metric);
  bool should_stop() const { return state_.epochs_without_improvement >= patience_; }

  int64_t patience() const { return patience_; }
  const EarlyStoppingState& state() const { return state_; }
  void load_state(const EarlyStoppingState& state);  // throws on a negative counter

 private:
  int64_t patience_;
  EarlyStoppingState state_;
};

}  // namespace kasf
