// MLP: fc1 -> activation -> dropout -> fc2 -> dropout (the official MLP class; STCFormer's has no
// biases).
#pragma once
#include "framework/random.h"
#include "layers/activation.h"
#include "layers/layer_norm.h"
#include "layers/linear.h"

namespace kasf {

class MLP : public Module {
 public:
  MLP(int64_t in_features, int64_t hidden_features, int64_t out_features, Activation activation, float drop,
      Generator& generator, bool bias = true);
  Tensor forward(const Tensor& x);
  // forward(norm.forward(x)): one fused op (norm_feed_forward, which saves a third of the memory)
  // whenever no dropout is active and the layers have biases (the fused op needs them), as in the
  // official configurations; else the layers one by one.
  Tensor forward_after(const LayerNorm& norm, const Tensor& x);

 private:
  Linear& fc1_;
  Linear& fc2_;
  Activation activation_;
  float drop_;
  Generator dropout_rng_;
};

}  // namespace kasf
