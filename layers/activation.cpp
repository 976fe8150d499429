#include "layers/activation.h"

#include <stdexcept>

#include "framework/ops.h"

namespace kasf {

Activation activation_from_name(const std::string& name) {
  if (name == "gelu") return Activation::Gelu;
  if (name == "relu") return Activation::Relu;
  throw std::invalid_argument("unknown activation '" + name + "' (expected gelu or relu)");
}

Tensor activate(Activation activation, const Tensor& x) {
  return activation == Activation::Gelu ? gelu(x) : relu(x);
}

}  // namespace kasf
