// STCFormer's spatio-temporal criss-cross attention (Tang et al. 2023; official class STC_ATTENTION):
// the channels split in two halves, one attending over the joints of a frame, the other over the
// frames of a joint, each with `heads` heads, plus the structure-enhanced positional embedding:
//
//   n = layer_norm(x);  q, k, v = qkv(n), read as (C, 3): q = out[3i], k = out[3i+1], v = out[3i+2]
//   spatial half   (channels [0, C/2)):  xs = attend_joints(qs, ks, vs) + sep2_s(vs) + 1e-4 * P
//   temporal half  (channels [C/2, C)):  xt = attend_frames(qt, kt, vt) + sep2_t(vt) + 1e-9 * P
//   y = x + proj(per head h: [xs_h, xt_h])
//
// Softmax scale (C/2)^-1/2 for both halves (not the head width's). sep2_s, sep2_t are 3x3 depthwise
// convolutions over the (frame, joint) grid of v; P = emb(part(j)) is one learned vector of width
// C/heads/2 per body part (torso, right leg, left leg, left arm, right arm), the same for every head
// and frame. In training, each of the two P terms passes timm's DropPath at `part_drop_path`
// (dropped or scaled by 1/(1-p) as a whole, one draw per term and forward). Parameter names are the
// official ones: qkv, layer_norm, proj, emb, sep2_t, sep2_s.
#pragma once
#include <vector>

#include "framework/random.h"
#include "layers/depthwise_conv.h"
#include "layers/embedding.h"
#include "layers/layer_norm.h"
#include "layers/linear.h"

namespace kasf {

class STCAttention : public Module {
 public:
  // `dim` divisible by 2 * heads; the joints must be the 17 of the H36M skeleton.
  STCAttention(int64_t dim, int64_t heads, float part_drop_path, Generator& generator);
  Tensor forward(const Tensor& x);  // (B, T, 17, dim) -> (B, T, 17, dim), residual included

 private:
  // emb(part(j)) * factor, dropped as a whole in training, shaped (17, 1, dim/heads/2) to broadcast
  // over the heads of (B, T, 17, heads, dim/heads/2); undefined when dropped.
  Tensor part_embedding(float factor);

  int64_t dim_;
  int64_t heads_;
  float part_drop_path_;
  std::vector<int64_t> qkv_order_;
  Linear& qkv_;
  LayerNorm& layer_norm_;
  Linear& proj_;
  Embedding& emb_;
  DepthwiseConv2d& sep2_t_;
  DepthwiseConv2d& sep2_s_;
  Generator drop_path_rng_;
};

}  // namespace kasf
