#include "models/mixste.h"

#include "framework/ops.h"
#include "layers/init.h"
#include "layers/probe.h"
#include "models/mixste_block.h"

namespace kasf::models {

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
  x = alternate_blocks(spatial_blocks_, temporal_blocks_, spatial_norm_, temporal_norm_, x, [&](const Tensor& y) {
    return dropout(add(y, temporal_position), drop, training(), dropout_rng_);
  });
  x = head_.forward(x);
  probe("head", x);
  return x;
}

}  // namespace kasf::models
