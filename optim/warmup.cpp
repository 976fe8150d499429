#include "optim/warmup.h"

#include <stdexcept>
#include <string>

namespace kasf {

LinearWarmup::LinearWarmup(double base_lr, int64_t warmup_epochs)
    : base_lr_(base_lr), warmup_epochs_(warmup_epochs) {
  if (!(base_lr >= 0.0))
    throw std::invalid_argument("warm-up: learning rate must be >= 0, got " + std::to_string(base_lr));
  if (warmup_epochs < 1)
    throw std::invalid_argument("warm-up: warmup_epochs must be >= 1, got " + std::to_string(warmup_epochs));
}

double LinearWarmup::lr(int64_t epoch) const {
  if (!covers(epoch))
    throw std::out_of_range("warm-up: epoch " + std::to_string(epoch) + " is outside the warm-up epochs 0.." +
                            std::to_string(warmup_epochs_));
  // The official script's order of operations, so the values agree to the last bit.
  const double start = base_lr_ / 100.0;
  return start + (base_lr_ - start) * static_cast<double>(epoch) / static_cast<double>(warmup_epochs_);
}

}  // namespace kasf
