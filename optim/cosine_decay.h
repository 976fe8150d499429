// Cosine learning-rate decay over a fraction of the run (0: start, 1: end):
//   lr(f) = min_lr + (base_lr - min_lr) * (1 + cos(pi * f)) / 2,
// the curve of PyTorch's CosineAnnealingLR with f = step / T_max. The trainer feeds it the fraction
// of the time budget used, so the rate reaches its floor as the budget ends however fast the machine
// is, instead of the plateau decisions' rate still being near its peak when a budget stops the run.
#pragma once

namespace kasf {

class CosineDecay {
 public:
  CosineDecay(double base_lr, double min_lr);  // throws unless 0 <= min_lr <= base_lr

  double lr(double fraction) const;  // fraction clamped to [0, 1]

 private:
  double base_lr_, min_lr_;
};

}  // namespace kasf
