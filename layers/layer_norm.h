// LayerNorm over the last axis with affine "weight" (ones) and "bias" (zeros), as torch.nn.LayerNorm.
#pragma once
#include "layers/module.h"

namespace kasf {

class LayerNorm : public Module {
 public:
  explicit LayerNorm(int64_t dim, float eps = 1e-5f);
  Tensor forward(const Tensor& x) const;
  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }
  float eps() const { return eps_; }

 private:
  Tensor weight_;
  Tensor bias_;
  float eps_;
};

}  // namespace kasf
