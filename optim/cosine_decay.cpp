#include "optim/cosine_decay.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace kasf {

CosineDecay::CosineDecay(double base_lr, double min_lr) : base_lr_(base_lr), min_lr_(min_lr) {
  if (!(min_lr >= 0.0 && min_lr <= base_lr))
    throw std::invalid_argument("cosine decay: needs 0 <= min_lr <= lr, got min_lr " + std::to_string(min_lr) +
                                " and lr " + std::to_string(base_lr));
}

double CosineDecay::lr(double fraction) const {
  const double f = std::clamp(fraction, 0.0, 1.0);
  return min_lr_ + (base_lr_ - min_lr_) * (1.0 + std::cos(std::numbers::pi * f)) / 2.0;
}

}  // namespace kasf
