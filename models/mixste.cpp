#include "models/mixste.h"

#include "framework/ops.h"
#include "layers/attention.h"
#include "layers/init.h"
#include "layers/mlp.h"
#include "layers/probe.h"

namespace kasf::models {

// The official Block: pre-norm attention over one axis and an MLP, both residual. The attention's
// output dropout (proj_drop = drop) is applied here, the MLP's inside MLP.
class MixSTEBlock : public Module {
 public:
  MixSTEBlock(const ModelConfig& config, TokenAxis axis, Generator& generator)
      : drop_(static_cast<float>(config.drop())),
        norm1_(add_module<LayerNorm>("norm1", config.dim_feat(), 1e-6f)),
        attn_(add_module<SelfAttention>("attn", attention_options(config, axis), generator)),
        norm2_(add_module<LayerNorm>("norm2", config.dim_feat(), 1e-6f)),
        mlp_(add_module<MLP>("mlp", config.dim_feat(), static_cast<int64_t>(config.dim_feat() * config.mlp_ratio()),
                             config.dim_feat(), Activation::Gelu, drop_, generator)),
        dropout_rng_(fork(generator)) {
    register_generator("dropout", dropout_rng_);
  }

  Tensor forward(const Tensor& x) {
    Tensor y = add(x, dropout(attn_.forward(norm1_.forward(x), Tensor()), drop_, training(), dropout_rng_));
    return add(y, mlp_.forward(norm2_.forward(y)));
  }

 private:
  static AttentionOptions attention_options(const ModelConfig& config, TokenAxis axis) {
    AttentionOptions options{config.dim_feat(), config.num_heads(), config.qkv_bias(), std::nullopt,
                             static_cast<float>(config.attn_drop()), axis};
    if (config.has_qkv_scale()) options.qkv_scale = static_cast<float>(config.qkv_scale());
    return options;
  }

  float drop_;
  LayerNorm& norm1_;
  SelfAttention& attn_;
  LayerNorm& norm2_;
  MLP& mlp_;
  Generator dropout_rng_;
};

// nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 3)): children "0" and "1".
class MixSTEHead : public Module {
 public:
  MixSTEHead(int64_t dim, Generator& generator)
      : norm_(add_module<LayerNorm>("0", dim)), linear_(add_module<Linear>("1", dim, 3, true, generator)) {}
  Tensor forward(const Tensor& x) const { return linear_.forward(norm_.forward(x)); }

 private:
  LayerNorm& norm_;
  Linear& linear_;
};

MixSTE::MixSTE(const ModelConfig& config, Generator& generator)
    : PoseLifter(config),
      patch_embedding_(
          add_module<Linear>("Spatial_patch_to_embedding", config.dim_in(), config.dim_feat(), true, generator)),
      spatial_blocks_(add_module<ModuleList<MixSTEBlock>>("STEblocks")),
      temporal_blocks_(add_module<ModuleList<MixSTEBlock>>("TTEblocks")),
      spatial_norm_(add_module<LayerNorm>("Spatial_norm", config.dim_feat(), 1e-6f)),
      temporal_norm_(add_module<LayerNorm>("Temporal_norm", config.dim_feat(), 1e-6f)),
      head_(add_module<MixSTEHead>("head", config.dim_feat(), generator)),
      dropout_rng_(fork(generator)) {
  spatial_pos_embed_ = register_parameter("Spatial_pos_embed", Tensor::zeros({1, config.num_joints(), config.dim_feat()}));
  temporal_pos_embed_ = register_parameter("Temporal_pos_embed", Tensor::zeros({1, config.n_frames(), config.dim_feat()}));
  register_generator("dropout", dropout_rng_);
  for (int l = 0; l < config.n_layers(); ++l) {
    spatial_blocks_.append(config, TokenAxis::Spatial, generator);
    temporal_blocks_.append(config, TokenAxis::Temporal, generator);
  }
}

Tensor MixSTE::forward(const Tensor& input) {
  check_input(input);
  const float drop = static_cast<float>(config().drop());
  Tensor x = patch_embedding_.forward(input);
  probe("Spatial_patch_to_embedding", x);
  x = dropout(add(x, spatial_pos_embed_), drop, training(), dropout_rng_);
  // The frame positions broadcast over the joints: (1, T, 1, C).
  const Tensor temporal_position = reshape(temporal_pos_embed_, {1, config().n_frames(), 1, config().dim_feat()});
  for (size_t l = 0; l < spatial_blocks_.size(); ++l) {
    x = spatial_blocks_[l].forward(x);
    probe(spatial_blocks_[l].path(), x);
    x = spatial_norm_.forward(x);
    if (l == 0) x = dropout(add(x, temporal_position), drop, training(), dropout_rng_);
    x = temporal_blocks_[l].forward(x);
    probe(temporal_blocks_[l].path(), x);
    x = temporal_norm_.forward(x);
  }
  x = head_.forward(x);
  probe("head", x);
  return x;
}

}  // namespace kasf::models
