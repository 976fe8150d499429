// Linear: y = x W^T + b with W (out, in), as torch.nn.Linear (parameters "weight", "bias").
#pragma once
#include "framework/random.h"
#include "layers/module.h"

namespace kasf {

class Linear : public Module {
 public:
  // PyTorch's default initialisation: weight and bias uniform in +-1/sqrt(in_features).
  Linear(int64_t in_features, int64_t out_features, bool bias, Generator& generator);
  Tensor forward(const Tensor& x) const;
  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }  // undefined without bias

 private:
  Tensor weight_;
  Tensor bias_;
};

}  // namespace kasf
