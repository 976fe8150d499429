#include "layers/embedding.h"

#include "framework/ops.h"
#include "layers/init.h"

namespace kasf {

Embedding::Embedding(int64_t count, int64_t dim, Generator& generator) {
  weight_ = register_parameter("weight", normal_tensor({count, dim}, 1.0f, generator));
}

Tensor Embedding::forward(const std::vector<int64_t>& indices) const { return index_select(weight_, 0, indices); }

}  // namespace kasf
