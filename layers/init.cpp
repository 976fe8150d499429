#include "layers/init.h"

#include <vector>

namespace kasf {

Tensor uniform_tensor(const Shape& shape, float bound, Generator& generator) {
  std::vector<float> values(static_cast<size_t>(numel(shape)));
  for (float& v : values) v = generator.uniform(-bound, bound);
  return Tensor::from_vector(shape, values);
}

Tensor normal_tensor(const Shape& shape, float stddev, Generator& generator) {
  std::vector<float> values(static_cast<size_t>(numel(shape)));
  for (float& v : values) v = generator.normal(0.0f, stddev);
  return Tensor::from_vector(shape, values);
}

Generator fork(Generator& parent) { return Generator(random_bits(parent.seed(), parent.advance(1))); }

}  // namespace kasf
