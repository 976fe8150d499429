// KASportsFormer (spec section 2) and its ablation variants, built from a ModelConfig; also the
// trunk of MotionAGFormer (models/motionagformer.h), whose blocks are named `layers.<l>`.
//
//   Hj = joints_embed(X) + pos_embed
//   Hb = bone_embed(BoneExt(X)) + bone_pos_embed        (variants with bones)
//   Hl = limb_embed(LimbFus(X)) + limb_pos_embed        (variants with limbs; constant memory)
//   Hj = layers_with_bone[l](Hj, query = l == 0 ? Hb : Hj, memory = Hl)   l = 0..n_layers-1
//   Y  = head(rep_logit(norm(Hj)))
//
// Parameter and buffer names are the official state-dict keys. With a ProbeScope alive, forward()
// reports the official intermediates by module name (bone_decomposer, bone_refusion, joints_embed,
// bone_embed, limb_embed (before the positional embeddings), layers_with_bone.<l> and its
// FormerModules, norm, rep_logit, head) and each temporal GCN its graph.
#pragma once
#include "framework/random.h"
#include "layers/layer_norm.h"
#include "layers/limb_fus.h"
#include "layers/linear.h"
#include "layers/pre_logits.h"
#include "models/anatomy_block.h"
#include "models/pose_lifter.h"

namespace kasf::models {

class KASportsFormer : public PoseLifter {
 public:
  // Randomly initialised as the official model (spec section 4) from `generator`.
  KASportsFormer(const ModelConfig& config, Generator& generator);
  // input (B, n_frames, 17, dim_in) -> (B, n_frames, 17, dim_out)
  Tensor forward(const Tensor& input) override;
  void set_recompute_blocks(bool on) override { recompute_blocks_ = on; }

 private:
  Tensor block_forward(size_t l, const Tensor& x, const Tensor& query, const Tensor& memory);

  Tensor pos_embed_;
  Tensor bone_pos_embed_;
  Tensor limb_pos_embed_;
  Linear& joints_embed_;
  Linear* bone_embed_ = nullptr;
  Linear* limb_embed_ = nullptr;
  LayerNorm& norm_;
  LimbFus* bone_refusion_ = nullptr;
  ModuleList<AnatomyBlock>& layers_;
  PreLogits& rep_logit_;
  Linear& head_;
  bool recompute_blocks_ = false;
};

}  // namespace kasf::models
