// Parameter initialisers drawing from a kasf::Generator (PyTorch's init rules, not its random stream).
#pragma once
#include "framework/random.h"
#include "framework/tensor.h"

namespace kasf {

Tensor uniform_tensor(const Shape& shape, float bound, Generator& generator);  // U(-bound, bound)
Tensor normal_tensor(const Shape& shape, float stddev, Generator& generator);  // N(0, stddev^2)
// An independent stream for a module's dropout masks, derived from the initialisation generator so
// that a model built from one seed is reproducible as a whole.
Generator fork(Generator& parent);

}  // namespace kasf
