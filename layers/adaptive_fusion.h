// Adaptive fusion of n parallel streams (B, T, J, C): per-token weights
// w = softmax(Linear(concat[streams])) over the n streams, output sum_i w_i * stream_i.
// The module is the Linear itself ("weight" (n, n*C) zero, "bias" 1/n, so fusion starts as the mean),
// as the official fusion_three_channel (n = 3) and MotionAGFormer's fusion (n = 2).
#pragma once
#include <vector>

#include "layers/module.h"

namespace kasf {

class AdaptiveFusion : public Module {
 public:
  AdaptiveFusion(int64_t dim, int64_t streams);
  Tensor forward(const std::vector<Tensor>& streams) const;

 private:
  Tensor weight_;
  Tensor bias_;
};

// The plain mean of the streams (use_adaptive_fusion = false).
Tensor average_streams(const std::vector<Tensor>& streams);

}  // namespace kasf
