// STCFormer (Tang et al. 2023, "3D Human Pose Estimation with Spatio-Temporal Criss-cross
// Attention"), one of the paper's Table 1 peers, as the official KASportsFormer repository ships it
// (model/STCFormer.py, class Model; docs/model.md):
//
//   X = GELU(pose_emb(input))                                   (Linear dim_in -> C, no bias)
//   X = stcformer.stc_block[l](X)                               l = 0..layers-1
//   Y = regress_head(X)                                         (Linear C -> 3, no bias)
//
// Each block is X = stc_att(X) (layers/stc_attention.h, residual included), then
// X + mlp(layer_norm(X)) with a bias-free fc1 -> GELU -> fc2 MLP of hidden size mlp_ratio * C (4
// officially) and dropout `drop` (0.1 officially). The config fields map to the official `args`:
// n_layers = layers, dim_feat = d_hid, n_frames = num_frame, num_joints = num_joints_in; num_heads
// (8 officially), mlp_ratio, drop and part_embed_drop_path carry the official constants. Parameter
// names are the official state-dict keys. With a ProbeScope alive, forward() reports pose_emb (before
// the GELU), stcformer.stc_block.<l>.stc_att and stcformer.stc_block.<l> (each (B, T, J, C)) and
// regress_head.
#pragma once
#include "layers/linear.h"
#include "models/pose_lifter.h"

namespace kasf::models {

inline constexpr const char* kSTCFormerName = "STCFormer";

class STCFormerStack;

class STCFormer : public PoseLifter {
 public:
  STCFormer(const ModelConfig& config, Generator& generator);
  // input (B, n_frames, 17, dim_in) -> (B, n_frames, 17, 3)
  Tensor forward(const Tensor& input) override;

 private:
  Linear& pose_emb_;
  STCFormerStack& stcformer_;
  Linear& regress_head_;
};

}  // namespace kasf::models
