#include "models/motionbert.h"

#include <string>

#include "framework/ops.h"
#include "layers/init.h"
#include "layers/probe.h"
#include "models/mixste_block.h"

namespace kasf::models {

// The official Block in its modes stage_st (spatial half first) and stage_ts (temporal half first).
class DSTformerBlock : public PreNormBlock {
 public:
  DSTformerBlock(const ModelConfig& config, bool spatial_first, Generator& generator)
      : PreNormBlock(config),
        spatial_first_(spatial_first),
        spatial_(add_half(config, TokenAxis::Spatial, "_s", norm_eps(config), generator)),
        temporal_(add_half(config, TokenAxis::Temporal, "_t", norm_eps(config), generator)) {
    add_dropout_stream(generator);
  }

  Tensor forward(const Tensor& x) {
    if (spatial_first_) return forward_half(temporal_, forward_half(spatial_, x));
    return forward_half(spatial_, forward_half(temporal_, x));
  }

  static float norm_eps(const ModelConfig& config) { return static_cast<float>(config.norm_eps()); }

 private:
  bool spatial_first_;
  Half spatial_;
  Half temporal_;
};

DSTformer::DSTformer(const ModelConfig& config, Generator& generator)
    : PoseLifter(config),
      joints_embed_(add_module<Linear>("joints_embed", config.dim_in(), config.dim_feat(), true, generator)),
      blocks_st_(add_module<ModuleList<DSTformerBlock>>("blocks_st")),
      blocks_ts_(add_module<ModuleList<DSTformerBlock>>("blocks_ts")),
      norm_(add_module<LayerNorm>("norm", config.dim_feat(), DSTformerBlock::norm_eps(config))),
      pre_logits_(add_module<PreLogits>("pre_logits", config.dim_feat(), config.dim_rep(), generator)),
      head_(add_module<Linear>("head", config.dim_rep(), config.dim_out(), true, generator)),
      dropout_rng_(fork(generator)) {
  temp_embed_ = register_parameter("temp_embed", Tensor::zeros({1, config.maxlen(), 1, config.dim_feat()}));
  pos_embed_ = register_parameter("pos_embed", Tensor::zeros({1, config.num_joints(), config.dim_feat()}));
  register_generator("dropout", dropout_rng_);
  for (int l = 0; l < config.n_layers(); ++l) {
    blocks_st_.append(config, true, generator);
    blocks_ts_.append(config, false, generator);
  }
  // The official _init_weights: Linear weights and both embeddings N(0, 0.02^2) (trunc_normal_ cuts at
  // +-2, i.e. 100 standard deviations), biases 0, LayerNorms 1 and 0; ts_attn keeps its weight 0, bias 0.5.
  for (const auto& [name, parameter] : named_parameters()) {
    if (parameter.rank() >= 2) {
      parameter.copy_from(normal_tensor(parameter.shape(), 0.02f, generator));
    } else if (name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0) {
      parameter.copy_from(Tensor::zeros(parameter.shape()));
    }
  }
  if (config.use_adaptive_fusion()) {
    ts_attn_ = &add_module<ModuleList<AdaptiveFusion>>("ts_attn");
    for (int l = 0; l < config.n_layers(); ++l) ts_attn_->append(config.dim_feat(), 2);
  }
}

Tensor DSTformer::forward(const Tensor& input) {
  check_input(input);
  Tensor x = joints_embed_.forward(input);
  probe("joints_embed", x);
  x = add(add(x, pos_embed_), slice(temp_embed_, 1, 0, config().n_frames()));
  x = dropout(x, static_cast<float>(config().drop()), training(), dropout_rng_);
  for (size_t l = 0; l < blocks_st_.size(); ++l) {
    const Tensor x_st = blocks_st_[l].forward(x);
    probe(blocks_st_[l].path(), x_st);
    const Tensor x_ts = blocks_ts_[l].forward(x);
    probe(blocks_ts_[l].path(), x_ts);
    x = ts_attn_ != nullptr ? (*ts_attn_)[l].forward({x_st, x_ts}) : average_streams({x_st, x_ts});
    probe("fused." + std::to_string(l), x);
  }
  x = norm_.forward(x);
  probe("norm", x);
  x = pre_logits_.forward(x);
  probe("pre_logits", x);
  x = head_.forward(x);
  probe("head", x);
  return x;
}

}  // namespace kasf::models
