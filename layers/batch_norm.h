// BatchNorm1d as torch.nn.BatchNorm1d: input (N, C) or (N, C, L), statistics per channel C.
// Parameters "weight", "bias"; buffers "running_mean", "running_var", "num_batches_tracked" (a
// float scalar here; PyTorch's is int64, which weight files store as float anyway).
#pragma once
#include "layers/module.h"

namespace kasf {

class BatchNorm1d : public Module {
 public:
  explicit BatchNorm1d(int64_t channels, float momentum = 0.1f, float eps = 1e-5f);
  // Training mode normalises with batch statistics and updates the running ones.
  Tensor forward(const Tensor& x) const;

 private:
  Tensor weight_;
  Tensor bias_;
  Tensor running_mean_;
  Tensor running_var_;
  Tensor num_batches_tracked_;
  float momentum_;
  float eps_;
};

}  // namespace kasf
