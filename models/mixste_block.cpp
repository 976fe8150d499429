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

PreNormBlock::PreNormBlock(const ModelConfig& config) : drop_(static_cast<float>(config.drop())) {}

PreNormBlock::Half PreNormBlock::add_half(const ModelConfig& config, TokenAxis axis, const std::string& suffix,
                                          float norm_eps, Generator& generator) {
  const int64_t dim = config.dim_feat();
  Half half;
  half.norm1 = &add_module<LayerNorm>("norm1" + suffix, dim, norm_eps);
  half.attn = &add_module<SelfAttention>("attn" + suffix, mixste_attention_options(config, axis), generator);
  half.norm2 = &add_module<LayerNorm>("norm2" + suffix, dim, norm_eps);
  half.mlp = &add_module<MLP>("mlp" + suffix, dim, static_cast<int64_t>(dim * config.mlp_ratio()), dim,
                              Activation::Gelu, drop_, generator);
  return half;
}

Tensor PreNormBlock::forward_half(const Half& half, const Tensor& x) {
  Tensor y = add(x, dropout(half.attn->forward(half.norm1->forward(x), Tensor()), drop_, training(), dropout_rng_));
  return add(y, half.mlp->forward(half.norm2->forward(y)));
}

void PreNormBlock::add_dropout_stream(Generator& generator) {
  dropout_rng_ = fork(generator);
  register_generator("dropout", dropout_rng_);
}

MixSTEBlock::MixSTEBlock(const ModelConfig& config, TokenAxis axis, Generator& generator)
    : PreNormBlock(config), half_(add_half(config, axis, "", 1e-6f, generator)) {
  add_dropout_stream(generator);
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
