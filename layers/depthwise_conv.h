// Depthwise 2D convolution over the (frame, joint) grid of (B, T, J, C) tokens: every channel has its
// own k x k kernel, zero padding keeps T and J (torch.nn.Conv2d(C, C, k, padding=k/2, groups=C) on
// the (B, C, T, J) view; parameters "weight" (C, 1, k, k) and "bias" (C), PyTorch's default init).
#pragma once
#include "framework/random.h"
#include "layers/module.h"

namespace kasf {

class DepthwiseConv2d : public Module {
 public:
  DepthwiseConv2d(int64_t channels, int64_t kernel_size, Generator& generator);  // kernel_size odd
  // (B, T, J, C) -> (B, T, J, C)
  Tensor forward(const Tensor& x) const;

 private:
  int64_t channels_;
  int64_t kernel_size_;
  Tensor weight_;
  Tensor bias_;
};

}  // namespace kasf
