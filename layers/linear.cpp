#include "layers/linear.h"

#include <cmath>

#include "framework/ops.h"
#include "layers/init.h"

namespace kasf {

Linear::Linear(int64_t in_features, int64_t out_features, bool bias, Generator& generator) {
  const float bound = 1.0f / std::sqrt(static_cast<float>(in_features));
  weight_ = register_parameter("weight", uniform_tensor({out_features, in_features}, bound, generator));
  if (bias) bias_ = register_parameter("bias", uniform_tensor({out_features}, bound, generator));
}

Tensor Linear::forward(const Tensor& x) const { return linear(x, weight_, bias_); }

}  // namespace kasf
