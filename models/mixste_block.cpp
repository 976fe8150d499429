#include "models/mixste_block.h"

#include "framework/ops.h"
#include "layers/init.h"
#include "layers/probe.h"

namespace kasf::models {

AttentionOptions mixste_attention_options(const ModelConfig& config, TokenAxis axis) {
  AttentionOptions options{config.dim_feat(), config.num_heads(), config.qkv_bias(), std::nullopt,
                           static_cast<float>(config.attn_drop()), axis};
  if (config.has_qkv_scale()) options.qkv_scale = static_cast<float>(config.qkv_scale());
  return options;
}

MixSTEBlock::MixSTEBlock(const ModelConfig& config, TokenAxis axis, Generator& generator)
    : drop_(static_cast<float>(config.drop())),
      norm1_(add_module<LayerNorm>("norm1", config.dim_feat(), 1e-6f)),
      attn_(add_module<SelfAttention>("attn", mixste_attention_options(config, axis), generator)),
      norm2_(add_module<LayerNorm>("norm2", config.dim_feat(), 1e-6f)),
      mlp_(add_module<MLP>("mlp", config.dim_feat(), static_cast<int64_t>(config.dim_feat() * config.mlp_ratio()),
                           config.dim_feat(), Activation::Gelu, drop_, generator)),
      dropout_rng_(fork(generator)) {
  register_generator("dropout", dropout_rng_);
}

Tensor MixSTEBlock::forward(const Tensor& x) {
  Tensor y = add(x, dropout(attn_.forward(norm1_.forward(x), Tensor()), drop_, training(), dropout_rng_));
  return add(y, mlp_.forward(norm2_.forward(y)));
}

Tensor alternate_blocks(const ModuleList<MixSTEBlock>& spatial_blocks, const ModuleList<MixSTEBlock>& temporal_blocks,
                        const LayerNorm& spatial_norm, const LayerNorm& temporal_norm, Tensor x,
                        const std::function<Tensor(const Tensor&)>& before_first_temporal) {
  for (size_t l = 0; l < spatial_blocks.size(); ++l) {
    x = spatial_blocks[l].forward(x);
    probe(spatial_blocks[l].path(), x);
    x = spatial_norm.forward(x);
    if (l == 0 && before_first_temporal) x = before_first_temporal(x);
    x = temporal_blocks[l].forward(x);
    probe(temporal_blocks[l].path(), x);
    x = temporal_norm.forward(x);
  }
  return x;
}

MixSTEHead::MixSTEHead(int64_t dim, Generator& generator)
    : norm_(add_module<LayerNorm>("0", dim)), linear_(add_module<Linear>("1", dim, 3, true, generator)) {}

Tensor MixSTEHead::forward(const Tensor& x) const { return linear_.forward(norm_.forward(x)); }

}  // namespace kasf::models
