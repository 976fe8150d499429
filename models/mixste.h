// MixSTE (Zhang et al. 2022, "MixSTE: Seq2seq Mixed Spatio-Temporal Encoder for 3D Human Pose
// Estimation in Video"), one of the paper's Table 1 peers, as the official KASportsFormer repository
// ships it (model/MixSTE.py, class MixSTE2; docs/model.md):
//
//   X = Spatial_patch_to_embedding(input) + Spatial_pos_embed        (per joint)
//   X = Spatial_norm(STEblocks[0](X));  X = Temporal_norm(TTEblocks[0](X + Temporal_pos_embed))
//   X = Temporal_norm(TTEblocks[l](Spatial_norm(STEblocks[l](X))))   l = 1..depth-1
//   Y = head(X)                                                       (LayerNorm, then Linear to 3)
//
// STE blocks attend over the joints of a frame, TTE blocks over the frames of a joint; each block is
// x + attn(norm1(x)), then + mlp(norm2(x)), with LayerNorms of eps 1e-6 (the head's: 1e-5). The
// config fields map to the official constructor's arguments: n_frames = num_frame, dim_in =
// in_chans, dim_feat = embed_dim_ratio, n_layers = depth, num_heads, mlp_ratio, qkv_bias,
// qkv_scale = qk_scale, drop = drop_rate, attn_drop = attn_drop_rate. Parameter and buffer names are
// the official state-dict keys. With a ProbeScope alive, forward() reports the intermediates
// Spatial_patch_to_embedding, STEblocks.<l>, TTEblocks.<l> (each block's output, (B, T, J, C)) and head.
#pragma once
#include "layers/layer_norm.h"
#include "layers/linear.h"
#include "models/pose_lifter.h"

namespace kasf::models {

inline constexpr const char* kMixSTEName = "MixSTE";

class MixSTEBlock;
class MixSTEHead;

class MixSTE : public PoseLifter {
 public:
  MixSTE(const ModelConfig& config, Generator& generator);
  // input (B, n_frames, num_joints, dim_in) -> (B, n_frames, num_joints, 3)
  Tensor forward(const Tensor& input) override;

 private:
  Tensor spatial_pos_embed_;
  Tensor temporal_pos_embed_;
  Linear& patch_embedding_;
  ModuleList<MixSTEBlock>& spatial_blocks_;
  ModuleList<MixSTEBlock>& temporal_blocks_;
  LayerNorm& spatial_norm_;
  LayerNorm& temporal_norm_;
  MixSTEHead& head_;
  Generator dropout_rng_;
};

}  // namespace kasf::models
