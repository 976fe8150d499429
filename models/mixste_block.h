// The pieces of MixSTE (models/mixste.h) that KTPFormer (models/ktpformer.h) is built from too.
#pragma once
#include <functional>

#include "framework/random.h"
#include "layers/attention.h"
#include "layers/layer_norm.h"
#include "layers/linear.h"
#include "layers/mlp.h"
#include "models/model_config.pb.h"

namespace kasf::models {

// The official Attention's options from the config: dim_feat, num_heads, qkv_bias, qkv_scale, attn_drop.
AttentionOptions mixste_attention_options(const ModelConfig& config, TokenAxis axis);

// The official Block: pre-norm attention over one axis and an MLP, both residual. The attention's
// output dropout (proj_drop = drop) is applied here, the MLP's inside MLP.
class MixSTEBlock : public Module {
 public:
  MixSTEBlock(const ModelConfig& config, TokenAxis axis, Generator& generator);
  Tensor forward(const Tensor& x);

 private:
  float drop_;
  LayerNorm& norm1_;
  SelfAttention& attn_;
  LayerNorm& norm2_;
  MLP& mlp_;
  Generator dropout_rng_;
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
