// Which feature streams each model variant builds (docs/model.md).
#pragma once
#include "models/model_config.pb.h"

namespace kasf::models {

struct VariantStreams {
  bool bone_embedding;  // BoneExt -> bone_embed (+ bone_pos_embed)
  bool limb_embedding;  // LimbFus -> limb_embed (+ limb_pos_embed)
  bool anatomy_stream;  // the bone_spatial / bone_temporal FormerModules of every block
  bool cross_attention; // anatomy mixer: cross-attention (else the per-token softmax blend)
};

// MotionAGFormer (models/motionagformer.h) builds the BASELINE's streams.
VariantStreams streams_of(const ModelConfig& config);

// Whether `config` describes MotionAGFormer, which KASportsFormer's official code is derived from:
// the BASELINE variant under MotionAGFormer's own names and module details.
bool is_motionagformer(const ModelConfig& config);

}  // namespace kasf::models
