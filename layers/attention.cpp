#include "layers/attention.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "framework/ops.h"
#include "layers/init.h"

namespace kasf {

namespace {

const AttentionOptions& checked(const AttentionOptions& options) {
  if (options.num_heads <= 0 || options.dim % options.num_heads != 0)
    throw std::invalid_argument("attention: dim " + std::to_string(options.dim) + " is not divisible by " +
                                std::to_string(options.num_heads) + " heads");
  return options;
}

// (B, T, J, C) -> (B, T, H, J, c) for spatial attention, (B, J, H, T, c) for temporal attention.
Tensor split_heads(const Tensor& x, const AttentionOptions& options) {
  const int64_t heads = options.num_heads;
  Tensor split = reshape(x, {x.size(0), x.size(1), x.size(2), heads, x.size(3) / heads});
  return options.axis == TokenAxis::Spatial ? permute(split, {0, 1, 3, 2, 4}) : permute(split, {0, 2, 3, 1, 4});
}

// Inverse of split_heads.
Tensor merge_heads(const Tensor& x, const AttentionOptions& options) {
  Tensor joined = options.axis == TokenAxis::Spatial ? permute(x, {0, 1, 3, 2, 4}) : permute(x, {0, 3, 1, 2, 4});
  return reshape(joined, {joined.size(0), joined.size(1), joined.size(2), joined.size(3) * joined.size(4)});
}

float scale_of(const AttentionOptions& options) {
  return options.qkv_scale.value_or(1.0f / std::sqrt(static_cast<float>(options.dim / options.num_heads)));
}

// The fused attention ops (framework/ops/fused.cpp) serve whenever no attention-weight dropout is
// active, as in the official configurations (attn_drop = 0).
bool fused(const AttentionOptions& options, bool training) { return !training || options.attn_drop == 0.0f; }

int64_t sequence_axis(const AttentionOptions& options) { return options.axis == TokenAxis::Spatial ? 2 : 1; }

}  // namespace

Tensor multi_head_attention(const Tensor& q, const Tensor& k, const Tensor& v, const AttentionOptions& options,
                            bool training, Generator& dropout_rng) {
  const float scale = scale_of(options);
  Tensor scores = mul_scalar(matmul(split_heads(q, options), transpose(split_heads(k, options), -2, -1)), scale);
  Tensor weights = dropout(softmax(scores), options.attn_drop, training, dropout_rng);
  return merge_heads(matmul(weights, split_heads(v, options)), options);
}

SelfAttention::SelfAttention(const AttentionOptions& options, Generator& generator)
    : options_(checked(options)),
      proj_(add_module<Linear>("proj", options.dim, options.dim, true, generator)),
      qkv_(add_module<Linear>("qkv", options.dim, 3 * options.dim, options.qkv_bias, generator)),
      dropout_rng_(fork(generator)) {
  register_generator("dropout", dropout_rng_);
}

Tensor SelfAttention::forward(const Tensor& x, const Tensor&) {
  const int64_t d = options_.dim;
  Tensor qkv = qkv_.forward(x);
  Tensor mixed = fused(options_, training())
                     ? self_attention(qkv, options_.num_heads, sequence_axis(options_), scale_of(options_))
                     : multi_head_attention(slice(qkv, -1, 0, d), slice(qkv, -1, d, 2 * d),
                                            slice(qkv, -1, 2 * d, 3 * d), options_, training(), dropout_rng_);
  return dropout(proj_.forward(mixed), options_.proj_drop, training(), dropout_rng_);
}

CrossAttention::CrossAttention(const AttentionOptions& options, Generator& generator)
    : options_(checked(options)),
      proj_(add_module<Linear>("proj", options.dim, options.dim, true, generator)),
      qkv_q_(add_module<Linear>("qkv_q", options.dim, options.dim, options.qkv_bias, generator)),
      qkv_kv_(add_module<Linear>("qkv_kv", options.dim, 2 * options.dim, options.qkv_bias, generator)),
      dropout_rng_(fork(generator)) {
  register_generator("dropout", dropout_rng_);
}

Tensor CrossAttention::forward(const Tensor& x, const Tensor& memory) {
  if (!memory.defined()) throw std::invalid_argument("CrossAttention " + path() + ": no key/value memory given");
  const int64_t d = options_.dim;
  Tensor kv = qkv_kv_.forward(memory);
  Tensor q = qkv_q_.forward(x);
  Tensor mixed = fused(options_, training())
                     ? attention(q, kv, options_.num_heads, sequence_axis(options_), scale_of(options_))
                     : multi_head_attention(q, slice(kv, -1, 0, d), slice(kv, -1, d, 2 * d), options_, training(),
                                            dropout_rng_);
  return proj_.forward(mixed);
}

}  // namespace kasf
