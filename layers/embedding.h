// Embedding: a table of learned vectors looked up by index, as torch.nn.Embedding (parameter
// "weight", initialised N(0, 1)).
#pragma once
#include <vector>

#include "framework/random.h"
#include "layers/module.h"

namespace kasf {

class Embedding : public Module {
 public:
  Embedding(int64_t count, int64_t dim, Generator& generator);
  // The rows `indices` of the table: (indices.size(), dim).
  Tensor forward(const std::vector<int64_t>& indices) const;
  const Tensor& weight() const { return weight_; }

 private:
  Tensor weight_;
};

}  // namespace kasf
