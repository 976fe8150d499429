#include "layers/mlp.h"

#include "framework/ops.h"
#include "layers/init.h"

namespace kasf {

MLP::MLP(int64_t in_features, int64_t hidden_features, int64_t out_features, Activation activation, float drop,
         Generator& generator, bool bias)
    : fc1_(add_module<Linear>("fc1", in_features, hidden_features, bias, generator)),
      fc2_(add_module<Linear>("fc2", hidden_features, out_features, bias, generator)),
      activation_(activation),
      drop_(drop),
      dropout_rng_(fork(generator)) {
  register_generator("dropout", dropout_rng_);
}

Tensor MLP::forward(const Tensor& x) {
  Tensor h = dropout(activate(activation_, fc1_.forward(x)), drop_, training(), dropout_rng_);
  return dropout(fc2_.forward(h), drop_, training(), dropout_rng_);
}

Tensor MLP::forward_after(const LayerNorm& norm, const Tensor& x) {
  if ((training() && drop_ > 0.0f) || !fc1_.bias().defined()) return forward(norm.forward(x));
  return norm_feed_forward(x, norm.weight(), norm.bias(), norm.eps(), fc1_.weight(), fc1_.bias(), fc2_.weight(),
                           fc2_.bias(), activation_ == Activation::Gelu ? UnaryOp::Gelu : UnaryOp::Relu);
}

}  // namespace kasf
