// Linear learning-rate warm-up of the official training script (spec section 8), by epoch or by step.
//
// The line runs from lr/100 at epoch 0 to lr at epoch warmup_epochs: lr/100 + (lr - lr/100) * e /
// warmup_epochs. The official script evaluates it at the start of each epoch e <= warmup_epochs (11
// warm-up epochs for warmup_epochs = 10), so epoch 0 trains entirely at lr/100; `lr_at` evaluates it
// at a fraction of an epoch, for a rate that rises every step. It has no state of its own: the lr
// follows from the epoch (and step) index, which the checkpoint stores anyway.
#pragma once
#include <cstdint>

namespace kasf {

class LinearWarmup {
 public:
  LinearWarmup(double base_lr, int64_t warmup_epochs);  // throws unless base_lr >= 0, warmup_epochs >= 1

  // The official form: epochs 0..warmup_epochs, the rate set at each one's start.
  bool covers(int64_t epoch) const { return epoch >= 0 && epoch <= warmup_epochs_; }
  double lr(int64_t epoch) const;  // throws for an epoch the warm-up does not cover

  // The per-step form: `epochs` done so far, in [0, warmup_epochs] (the end is the full rate, where a
  // run resumed at the last warm-up epoch's end stands); lr(e) == lr_at(e) to the bit.
  double lr_at(double epochs) const;  // throws outside [0, warmup_epochs]

 private:
  double base_lr_;
  int64_t warmup_epochs_;
};

}  // namespace kasf
