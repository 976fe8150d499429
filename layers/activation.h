// The activations a model definition can name (official config key act_layer).
#pragma once
#include <string>

#include "framework/tensor.h"

namespace kasf {

enum class Activation { Gelu, Relu };

// "gelu" or "relu"; throws std::invalid_argument naming the value otherwise.
Activation activation_from_name(const std::string& name);
Tensor activate(Activation activation, const Tensor& x);

}  // namespace kasf
