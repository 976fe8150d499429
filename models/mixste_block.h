// The pieces of MixSTE (models/mixste.h) that KTPFormer (models/ktpformer.h) and DSTformer
// (models/motionbert.h) are built from too.
#pragma once
#include <functional>
#include <string>

#include "framework/random.h"
#include "layers/attention.h"
#include "layers/layer_norm.h"
#include "layers/linear.h"
#include "layers/mlp.h"
#include "models/model_config.pb.h"

namespace kasf::models {

// The official Attention's options from the config: dim_feat, num_heads, qkv_bias, qkv_scale, attn_drop.
AttentionOptions mixste_attention_options(const ModelConfig& config, TokenAxis axis);

// The official pre-norm Block's half over one axis: x + drop(attn(norm1(x))), then + mlp(norm2(x)). The
// attention's output dropout (proj_drop = drop) is applied here, the MLP's inside MLP. Its layers are
// children of the block that owns it, named norm1<suffix>, attn<suffix>, norm2<suffix> and mlp<suffix>:
// MixSTE's Block is one half, DSTformer's Block (models/motionbert.cpp) a spatial and a temporal one.
class PreNormBlock : public Module {
 protected:
  struct Half {
    LayerNorm* norm1;
    SelfAttention* attn;
    LayerNorm* norm2;
    MLP* mlp;
  };
  explicit PreNormBlock(const ModelConfig& config);
  Half add_half(const ModelConfig& config, TokenAxis axis, const std::string& suffix, float norm_eps,
                Generator& generator);
  Tensor forward_half(const Half& half, const Tensor& x);
  // The dropout stream, forked once the halves have drawn their initial values.
  void add_dropout_stream(Generator& generator);

 private:
  float drop_;
  Generator dropout_rng_;
};

// MixSTE's Block: one half, layers norm1, attn, norm2, mlp (LayerNorm eps 1e-6).
class MixSTEBlock : public PreNormBlock {
 public:
  MixSTEBlock(const ModelConfig& config, TokenAxis axis, Generator& generator);
  Tensor forward(const Tensor& x) { return forward_half(half_, x); }

 private:
  Half half_;
};

// The official alternation of block pairs, l = 0..depth-1:
//   x = Temporal_norm(TTEblocks[l](Spatial_norm(STEblocks[l](x))))
// with `before_first_temporal` (if set) applied right before TTEblocks[0], and each block's output
// reported to probe() under its path.
Tensor alternate_blocks(const ModuleList<MixSTEBlock>& spatial_blocks, const ModuleList<MixSTEBlock>& temporal_blocks,
                        const LayerNorm& spatial_norm, const LayerNorm& temporal_norm, Tensor x,
                        const std::function<Tensor(const Tensor&)>& before_first_temporal = {});

// nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 3)): children "0" and "1".
class MixSTEHead : public Module {
 public:
  MixSTEHead(int64_t dim, Generator& generator);
  Tensor forward(const Tensor& x) const;

 private:
  LayerNorm& norm_;
  Linear& linear_;
};

}  // namespace kasf::models
