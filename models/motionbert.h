// MotionBERT's DSTformer (Zhu et al. 2023, "MotionBERT: A Unified Perspective on Learning Human Motion
// Representations"), one of the paper's Table 1 peers, as the official KASportsFormer repository ships it
// (model/DSTFormer.py, class DSTformer; docs/model.md):
//
//   X = joints_embed(input) + pos_embed + temp_embed[:, :n_frames]    (pos_embed per joint, temp_embed per frame)
//   X_st = blocks_st[l](X)     spatial half, then temporal half     l = 0..depth-1
//   X_ts = blocks_ts[l](X)     temporal half, then spatial half
//   X = w0 * X_st + w1 * X_ts, (w0, w1) = softmax(ts_attn[l](concat[X_st, X_ts])) per token
//   Y = head(pre_logits(norm(X)))                                     (pre_logits: tanh(fc(x)))
//
// Each half is MixSTE's pre-norm block (models/mixste_block.h) with the layers norm1_s, attn_s, norm2_s,
// mlp_s (attention over the joints of a frame) or norm1_t, attn_t, norm2_t, mlp_t (over the frames of a
// joint); every LayerNorm has eps norm_eps. use_adaptive_fusion false is the official att_fuse=False: no
// ts_attn, the mean of the two streams. Config fields map to the official constructor's arguments:
// dim_in, dim_out, dim_feat, dim_rep, n_layers = depth, num_heads, mlp_ratio, num_joints, maxlen,
// qkv_bias, qkv_scale = qk_scale, drop = drop_rate, attn_drop = attn_drop_rate, norm_eps = norm_layer's eps,
// use_adaptive_fusion = att_fuse. Parameter names are the official state-dict keys. With a ProbeScope
// alive, forward() reports joints_embed (before the embeddings are added), blocks_st.<l>, blocks_ts.<l>,
// fused.<l> (depth l's output), norm, pre_logits and head, all (B, T, J, C).
#pragma once
#include "layers/adaptive_fusion.h"
#include "layers/layer_norm.h"
#include "layers/linear.h"
#include "layers/pre_logits.h"
#include "models/pose_lifter.h"

namespace kasf::models {

inline constexpr const char* kDSTformerName = "DSTformer";

class DSTformerBlock;

class DSTformer : public PoseLifter {
 public:
  DSTformer(const ModelConfig& config, Generator& generator);
  // input (B, n_frames, num_joints, dim_in) -> (B, n_frames, num_joints, dim_out)
  Tensor forward(const Tensor& input) override;

 private:
  Tensor temp_embed_;
  Tensor pos_embed_;
  Linear& joints_embed_;
  ModuleList<DSTformerBlock>& blocks_st_;
  ModuleList<DSTformerBlock>& blocks_ts_;
  LayerNorm& norm_;
  PreLogits& pre_logits_;
  Linear& head_;
  ModuleList<AdaptiveFusion>* ts_attn_ = nullptr;  // absent without att_fuse
  Generator dropout_rng_;
};

}  // namespace kasf::models
