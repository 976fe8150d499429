// Multi-head attention over the spatial (joints of a frame) or temporal (frames of a joint) axis of
// (B, T, J, C) streams: joint self-attention ("qkv") and the anatomy cross-attention ("qkv_q",
// "qkv_kv") whose keys and values come from a fixed memory.
#pragma once
#include <optional>

#include "framework/random.h"
#include "layers/linear.h"
#include "layers/token_mixer.h"

namespace kasf {

struct AttentionOptions {
  int64_t dim = 0;
  int64_t num_heads = 0;
  bool qkv_bias = false;
  std::optional<float> qkv_scale;  // default head_dim^-0.5
  float attn_drop = 0.0f;
  TokenAxis axis = TokenAxis::Spatial;
  float proj_drop = 0.0f;  // dropout on the projected output (MotionAGFormer's; KASportsFormer has none)
};

// q, k, v: (B, T, J, C) with head h owning channels [h*C/H, (h+1)*C/H). Softmax(q k^T * scale) v per
// head over the chosen axis; result (B, T, J, C) with heads re-assembled head-major.
Tensor multi_head_attention(const Tensor& q, const Tensor& k, const Tensor& v, const AttentionOptions& options,
                            bool training, Generator& dropout_rng);

class SelfAttention : public TokenMixer {
 public:
  SelfAttention(const AttentionOptions& options, Generator& generator);
  Tensor forward(const Tensor& x, const Tensor& memory) override;

 private:
  AttentionOptions options_;
  Linear& proj_;
  Linear& qkv_;
  Generator dropout_rng_;
};

// Queries from the stream, keys and values from the memory (the limb features).
class CrossAttention : public TokenMixer {
 public:
  CrossAttention(const AttentionOptions& options, Generator& generator);
  Tensor forward(const Tensor& x, const Tensor& memory) override;
  bool reads_memory() const override { return true; }

 private:
  AttentionOptions options_;
  Linear& proj_;
  Linear& qkv_q_;
  Linear& qkv_kv_;
  Generator dropout_rng_;
};

}  // namespace kasf
