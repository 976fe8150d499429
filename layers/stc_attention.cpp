#include "layers/stc_attention.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "framework/ops.h"
#include "layers/init.h"

namespace kasf {

namespace {

// The official body part of each H36M joint: 0 torso and head, 1 right leg, 2 left leg, 3 left arm,
// 4 right arm.
const std::vector<int64_t> kJointPart = {0, 1, 1, 1, 2, 2, 2, 0, 0, 0, 0, 3, 3, 3, 4, 4, 4};
constexpr int64_t kParts = 5;

int64_t checked_dim(int64_t dim, int64_t heads) {
  if (heads < 1 || dim < 2 || dim % (2 * heads) != 0)
    throw std::invalid_argument("STCAttention: dim " + std::to_string(dim) + " is not divisible by 2 * " +
                                std::to_string(heads) + " heads");
  return dim;
}

// The rows of the official qkv output, (C, 3)-interleaved, reordered into the packed blocks the
// fused attention reads: [q | k | v] of the spatial half, then [q | k | v] of the temporal half.
// Reordering the (3C, C) weight is cheaper than permuting every token's output.
std::vector<int64_t> qkv_row_order(int64_t dim) {
  std::vector<int64_t> order;
  for (int64_t half = 0; half < 2; ++half)
    for (int64_t component = 0; component < 3; ++component)
      for (int64_t channel = half * dim / 2; channel < (half + 1) * dim / 2; ++channel)
        order.push_back(3 * channel + component);
  return order;
}

}  // namespace

STCAttention::STCAttention(int64_t dim, int64_t heads, float part_drop_path, Generator& generator)
    : dim_(checked_dim(dim, heads)),
      heads_(heads),
      part_drop_path_(part_drop_path),
      qkv_order_(qkv_row_order(dim)),
      qkv_(add_module<Linear>("qkv", dim, 3 * dim, true, generator)),
      layer_norm_(add_module<LayerNorm>("layer_norm", dim)),
      proj_(add_module<Linear>("proj", dim, dim, true, generator)),
      emb_(add_module<Embedding>("emb", kParts, dim / heads / 2, generator)),
      sep2_t_(add_module<DepthwiseConv2d>("sep2_t", dim / 2, 3, generator)),
      sep2_s_(add_module<DepthwiseConv2d>("sep2_s", dim / 2, 3, generator)),
      drop_path_rng_(fork(generator)) {
  register_generator("drop_path", drop_path_rng_);
}

Tensor STCAttention::part_embedding(float factor) {
  if (training() && part_drop_path_ > 0.0f) {
    if (drop_path_rng_.uniform() < part_drop_path_) return Tensor();
    factor /= 1.0f - part_drop_path_;
  }
  const Tensor rows = emb_.forward(kJointPart);  // (17, width)
  return mul_scalar(reshape(rows, {rows.size(0), 1, rows.size(1)}), factor);
}

Tensor STCAttention::forward(const Tensor& x) {
  if (x.rank() != 4 || x.size(2) != static_cast<int64_t>(kJointPart.size()) || x.size(3) != dim_)
    throw ShapeError("STCAttention " + path() + ": expected (B, T, 17, " + std::to_string(dim_) + "), got " +
                     to_string(x.shape()));
  const int64_t half = dim_ / 2, width = half / heads_;
  const float scale = 1.0f / std::sqrt(static_cast<float>(half));
  const Tensor qkv = linear(layer_norm_.forward(x), index_select(qkv_.weight(), 0, qkv_order_),
                            index_select(qkv_.bias(), 0, qkv_order_));
  const Tensor spatial_qkv = slice(qkv, -1, 0, 3 * half), temporal_qkv = slice(qkv, -1, 3 * half, 6 * half);
  // Per head (B, T, 17, heads, width): attention + convolution of v + the part embedding.
  auto half_output = [&](const Tensor& packed, int64_t seq_axis, DepthwiseConv2d& conv, float part_factor) {
    Tensor mixed =
        add(self_attention(packed, heads_, seq_axis, scale), conv.forward(slice(packed, -1, 2 * half, 3 * half)));
    mixed = reshape(mixed, {x.size(0), x.size(1), x.size(2), heads_, width});
    const Tensor part = part_embedding(part_factor);
    return part.defined() ? add(mixed, part) : mixed;
  };
  const Tensor spatial = half_output(spatial_qkv, 2, sep2_s_, 1e-4f);
  const Tensor temporal = half_output(temporal_qkv, 1, sep2_t_, 1e-9f);
  const Tensor heads_joined = reshape(concat({spatial, temporal}, 4), x.shape());
  return add(proj_.forward(heads_joined), x);
}

}  // namespace kasf
