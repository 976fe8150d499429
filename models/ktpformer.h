// KTPFormer (Peng et al. 2024, "KTPFormer: Kinematics and Trajectory Prior Knowledge-Enhanced
// Transformer for 3D Human Pose Estimation"), one of the paper's Table 1 peers, as the official
// KASportsFormer repository ships it (model/KTPFormer.py, class KTPFormer; docs/model.md):
//
//   X = kpattention(x, y)          KPA block: X = ReLU(BN(LearnableGraphConv_skeleton(x, y))) + Spatial_pos_embed,
//                                  then X + attn(norm1(X)), X + mlp(norm2(X)), attention over the joints
//   X = Temporal_norm(tpattention(Spatial_norm(X)))
//                                  TPA block: X + TPA2(TPA1(X)) over the frame chain, + Temporal_pos_embed,
//                                  then the same two residual halves, attention over the frames
//   X = Temporal_norm(TTEblocks[l](Spatial_norm(STEblocks[l](X))))   l = 0..depth-1 (MixSTE's blocks)
//   Y = head(X)                    (LayerNorm, then Linear to 3)
//
// The KPA graph is the H36M skeleton, the TPA graph the chain of the n_frames frames, both as the
// official adj_mx_from_skeleton(_temporal) build them (tree_graph). The KPA reads the channels x and
// y only (its official input width is 2); with dim_in 3 the confidence channel is ignored. Config
// fields: n_frames = num_frame, dim_feat = embed_dim_ratio, n_layers = depth, num_heads, mlp_ratio,
// qkv_bias, qkv_scale = qk_scale, drop = drop_rate, attn_drop = attn_drop_rate. Parameter and
// buffer names are the official state-dict keys. With a ProbeScope alive, forward() reports
// kpattention.attn.kpa and tpattention.attn.tpa (the priors' outputs), kpattention, tpattention,
// STEblocks.<l>, TTEblocks.<l> (each block's output, (B, T, J, C)) and head.
#pragma once
#include "layers/layer_norm.h"
#include "models/pose_lifter.h"

namespace kasf::models {

inline constexpr const char* kKTPFormerName = "KTPFormer";

class MixSTEBlock;
class MixSTEHead;
class PriorBlock;

class KTPFormer : public PoseLifter {
 public:
  KTPFormer(const ModelConfig& config, Generator& generator);
  // input (B, n_frames, 17, dim_in) -> (B, n_frames, 17, 3)
  Tensor forward(const Tensor& input) override;

 private:
  ModuleList<MixSTEBlock>& spatial_blocks_;
  ModuleList<MixSTEBlock>& temporal_blocks_;
  LayerNorm& spatial_norm_;
  LayerNorm& temporal_norm_;
  PriorBlock& kinematics_block_;
  PriorBlock& trajectory_block_;
  MixSTEHead& head_;
};

}  // namespace kasf::models
