#include "layers/adaptive_fusion.h"

#include <stdexcept>
#include <string>

#include "framework/ops.h"

namespace kasf {

AdaptiveFusion::AdaptiveFusion(int64_t dim, int64_t streams) {
  weight_ = register_parameter("weight", Tensor::zeros({streams, streams * dim}));
  bias_ = register_parameter("bias", Tensor::full({streams}, 1.0f / static_cast<float>(streams)));
}

Tensor AdaptiveFusion::forward(const std::vector<Tensor>& streams) const {
  const int64_t n = weight_.size(0);
  if (static_cast<int64_t>(streams.size()) != n)
    throw std::invalid_argument("AdaptiveFusion " + path() + ": expected " + std::to_string(n) + " streams, got " +
                                std::to_string(streams.size()));
  for (const Tensor& stream : streams)
    if (stream.shape() != streams[0].shape())
      throw ShapeError("AdaptiveFusion " + path() + ": streams of shapes " + to_string(streams[0].shape()) + " and " +
                       to_string(stream.shape()) + " (all must have one shape)");
  // linear(concat(streams), weight, bias) without the concatenation: the sum of each stream's
  // product with its block of the weight's columns.
  const int64_t dim = weight_.size(1) / n;
  Tensor logits = linear(streams[0], slice(weight_, 1, 0, dim), bias_);
  for (int64_t i = 1; i < n; ++i)
    logits = add(logits, linear(streams[i], slice(weight_, 1, i * dim, (i + 1) * dim), Tensor()));
  Tensor weights = softmax(logits);
  Tensor fused = mul(streams[0], slice(weights, -1, 0, 1));
  for (int64_t i = 1; i < n; ++i) fused = multiply_add(fused, streams[i], slice(weights, -1, i, i + 1));
  return fused;
}

Tensor average_streams(const std::vector<Tensor>& streams) {
  Tensor total = streams.at(0);
  for (size_t i = 1; i < streams.size(); ++i) total = add(total, streams[i]);
  return mul_scalar(total, 1.0f / static_cast<float>(streams.size()));
}

}  // namespace kasf
