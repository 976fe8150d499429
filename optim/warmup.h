// Linear learning-rate warm-up of the official training script (spec section 8).
//
// For epoch index e <= warmup_epochs the lr is overwritten at the start of the epoch with
// lr/100 + (lr - lr/100) * e / warmup_epochs, so it rises from lr/100 at epoch 0 to lr at epoch
// warmup_epochs (11 warm-up epochs for warmup_epochs = 10). It has no state of its own: the lr
// follows from the epoch index, which the checkpoint stores anyway.
#pragma once
#include <cstdint>

namespace kasf {

class LinearWarmup {
 public:
  LinearWarmup(double base_lr, int64_t warmup_epochs);  // throws unless base_lr >= 0, warmup_epochs >= 1

  bool covers(int64_t epoch) const { return epoch >= 0 && epoch <= warmup_epochs_; }
  double lr(int64_t epoch) const;  // throws for an epoch the warm-up does not cover

 private:
  double base_lr_;
  int64_t warmup_epochs_;
};

}  // namespace kasf
