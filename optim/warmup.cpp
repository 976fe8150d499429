#include "optim/warmup.h"

#include <stdexcept>
#include <string>

namespace kasf {
namespace {

// The official script's order of operations, so the values agree to the last bit.
double on_the_line(double base_lr, double epochs, int64_t warmup_epochs) {
  const double start = base_lr / 100.0;
  return start + (base_lr - start) * epochs / static_cast<double>(warmup_epochs);
}

}  // namespace

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
  return on_the_line(base_lr_, static_cast<double>(epoch), warmup_epochs_);
}

double LinearWarmup::lr_at(double epochs) const {
  if (!(epochs >= 0.0 && epochs <= static_cast<double>(warmup_epochs_)))
    throw std::out_of_range("warm-up: " + std::to_string(epochs) + " epochs is outside the per-step warm-up [0, " +
                            std::to_string(warmup_epochs_) + "]");
  return on_the_line(base_lr_, epochs, warmup_epochs_);
}

}  // namespace kasf
