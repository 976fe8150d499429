#include "layers/depthwise_conv.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "framework/ops.h"
#include "layers/init.h"

namespace kasf {

namespace {

// `x` with `pad` zero rows before and after along `axis` (x itself for 0: no copy).
Tensor zero_pad(const Tensor& x, int64_t axis, int64_t pad) {
  if (pad == 0) return x;
  Shape border = x.shape();
  border[axis] = pad;
  const Tensor zeros = Tensor::zeros(border, x.device());
  return concat({zeros, x, zeros}, axis);
}

}  // namespace

DepthwiseConv2d::DepthwiseConv2d(int64_t channels, int64_t kernel_size, Generator& generator)
    : channels_(channels), kernel_size_(kernel_size) {
  if (channels < 1 || kernel_size < 1 || kernel_size % 2 == 0)
    throw std::invalid_argument("DepthwiseConv2d: need channels >= 1 and an odd kernel size, got " +
                                std::to_string(channels) + " and " + std::to_string(kernel_size));
  // Conv2d's default: fan_in = k * k (one input channel per group), bounds 1/sqrt(fan_in).
  const float bound = 1.0f / static_cast<float>(kernel_size);
  weight_ = register_parameter("weight", uniform_tensor({channels, 1, kernel_size, kernel_size}, bound, generator));
  bias_ = register_parameter("bias", uniform_tensor({channels}, bound, generator));
}

// Built from existing ops: the k*k shifted windows of the padded input are stacked on a new axis
// (B, T, J, k*k, C) and weighted per channel. That keeps k*k copies of the input for the backward,
// which is of the order of the temporal attention weights STCFormer keeps anyway.
Tensor DepthwiseConv2d::forward(const Tensor& x) const {
  if (x.rank() != 4 || x.size(3) != channels_)
    throw ShapeError("DepthwiseConv2d " + path() + ": expected (B, T, J, " + std::to_string(channels_) + "), got " +
                     to_string(x.shape()));
  const int64_t k = kernel_size_, frames = x.size(1), joints = x.size(2);
  const Tensor padded = zero_pad(zero_pad(x, 1, k / 2), 2, k / 2);
  std::vector<Tensor> windows;
  for (int64_t dt = 0; dt < k; ++dt) {
    const Tensor rows = slice(padded, 1, dt, dt + frames);
    for (int64_t dj = 0; dj < k; ++dj) windows.push_back(unsqueeze(slice(rows, 2, dj, dj + joints), 3));
  }
  // weight (C, 1, k, k) -> taps (k*k, C) in the windows' (dt, dj) order.
  const Tensor taps = transpose(reshape(weight_, {channels_, k * k}), 0, 1);
  return add(sum(mul(concat(windows, 3), taps), {3}), bias_);
}

}  // namespace kasf
