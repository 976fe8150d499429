// The pre-logits representation: tanh(fc(x)) (the official rep_logit = Sequential(fc, Tanh)).
#pragma once
#include "framework/random.h"
#include "layers/linear.h"

namespace kasf {

class PreLogits : public Module {
 public:
  PreLogits(int64_t in_features, int64_t out_features, Generator& generator);
  Tensor forward(const Tensor& x) const;

 private:
  Linear& fc_;
};

}  // namespace kasf
