#include "layers/pre_logits.h"

#include "framework/ops.h"

namespace kasf {

PreLogits::PreLogits(int64_t in_features, int64_t out_features, Generator& generator)
    : fc_(add_module<Linear>("fc", in_features, out_features, true, generator)) {}

Tensor PreLogits::forward(const Tensor& x) const { return tanh(fc_.forward(x)); }

}  // namespace kasf
