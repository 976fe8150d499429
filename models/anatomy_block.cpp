#include "models/anatomy_block.h"

#include <memory>

#include "layers/attention.h"
#include "layers/graph_conv.h"
#include "layers/softmax_fusion_mixer.h"
#include "models/variant.h"

namespace kasf::models {

namespace {

// MotionAGFormer's AGFormerBlock has no norm1_limb, and its attention drops `drop` of its output.
FormerOptions former_options(const ModelConfig& c) {
  return {c.dim_feat(),
          c.mlp_ratio(),
          activation_from_name(c.act_layer()),
          static_cast<float>(c.drop()),
          c.use_layer_scale(),
          static_cast<float>(c.layer_scale_init_value()),
          !is_motionagformer(c)};
}

AttentionOptions attention_options(const ModelConfig& c, TokenAxis axis) {
  AttentionOptions options{c.dim_feat(), c.num_heads(), c.qkv_bias(), std::nullopt, static_cast<float>(c.attn_drop()),
                           axis};
  if (c.has_qkv_scale()) options.qkv_scale = static_cast<float>(c.qkv_scale());
  if (is_motionagformer(c)) options.proj_drop = static_cast<float>(c.drop());
  return options;
}

std::unique_ptr<TokenMixer> attention(const ModelConfig& c, TokenAxis axis, Generator& generator) {
  return std::make_unique<SelfAttention>(attention_options(c, axis), generator);
}

std::unique_ptr<TokenMixer> graph(const ModelConfig& c, TokenAxis axis, Generator& generator) {
  const int64_t nodes = axis == TokenAxis::Spatial ? c.num_joints() : c.n_frames();
  return std::make_unique<GraphConv>(GraphConvOptions{c.dim_feat(), nodes, c.neighbour_num(), axis}, generator);
}

std::unique_ptr<TokenMixer> anatomy(const ModelConfig& c, TokenAxis axis, Generator& generator) {
  if (streams_of(c).cross_attention)
    return std::make_unique<CrossAttention>(attention_options(c, axis), generator);
  return std::make_unique<SoftmaxFusionMixer>(c.dim_feat());
}

}  // namespace

AnatomyBlock::AnatomyBlock(const ModelConfig& c, Generator& generator)
    : att_spatial_(add_module<FormerModule>("att_spatial", former_options(c),
                                            attention(c, TokenAxis::Spatial, generator), generator)),
      att_temporal_(add_module<FormerModule>("att_temporal", former_options(c),
                                             attention(c, TokenAxis::Temporal, generator), generator)),
      graph_spatial_(add_module<FormerModule>("graph_spatial", former_options(c),
                                              graph(c, TokenAxis::Spatial, generator), generator)),
      graph_temporal_(add_module<FormerModule>("graph_temporal", former_options(c),
                                               graph(c, TokenAxis::Temporal, generator), generator)) {
  const bool anatomy_stream = streams_of(c).anatomy_stream;
  if (anatomy_stream) {
    bone_spatial_ = &add_module<FormerModule>("bone_spatial", former_options(c),
                                              anatomy(c, TokenAxis::Spatial, generator), generator);
    bone_temporal_ = &add_module<FormerModule>("bone_temporal", former_options(c),
                                               anatomy(c, TokenAxis::Temporal, generator), generator);
  }
  if (c.use_adaptive_fusion()) {
    fusion_ = anatomy_stream ? &add_module<AdaptiveFusion>("fusion_three_channel", c.dim_feat(), 3)
                             : &add_module<AdaptiveFusion>("fusion", c.dim_feat(), 2);
  }
}

Tensor AnatomyBlock::forward(const Tensor& x, const Tensor& query, const Tensor& memory) {
  std::vector<Tensor> streams = {att_temporal_.forward(att_spatial_.forward(x)),
                                 graph_temporal_.forward(graph_spatial_.forward(x))};
  if (bone_spatial_ != nullptr)
    streams.push_back(bone_temporal_->forward(bone_spatial_->forward(query, memory), memory));
  return fusion_ != nullptr ? fusion_->forward(streams) : average_streams(streams);
}

}  // namespace kasf::models
