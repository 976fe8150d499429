#include "layers/layer_norm.h"

#include "framework/ops.h"

namespace kasf {

LayerNorm::LayerNorm(int64_t dim, float eps) : eps_(eps) {
  weight_ = register_parameter("weight", Tensor::full({dim}, 1.0f));
  bias_ = register_parameter("bias", Tensor::zeros({dim}));
}

Tensor LayerNorm::forward(const Tensor& x) const { return layer_norm(x, weight_, bias_, eps_); }

}  // namespace kasf
