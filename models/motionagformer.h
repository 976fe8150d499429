// MotionAGFormer (Mehraban et al. 2024, "MotionAGFormer: Enhancing 3D Human Pose Estimation with a
// Transformer-GCNFormer Network"), one of the paper's Table 1 peers, as the official KASportsFormer
// repository ships it (model/MotionAGFormer.py; docs/model.md). KASportsFormer's official code is
// derived from it, so kasf builds it from the same trunk and blocks as KASportsFormer's BASELINE:
//
//   X = joints_embed(input) + pos_embed
//   X = layers[l](X)   l = 0..n_layers-1: fusion of att_temporal(att_spatial(X)) and
//                      graph_temporal(graph_spatial(X)) (models/anatomy_block.h)
//   Y = head(rep_logit(norm(X)))
//
// What differs from the BASELINE is MotionAGFormer's: the blocks are `layers.<l>`, the FormerModules
// (the official AGFormerBlock) have no norm1_limb, and the attention's output dropout is `drop`.
// The config fields are the official constructor's arguments under their own names. Parameter and
// buffer names are the official state-dict keys. With a ProbeScope alive, forward() reports
// joints_embed (before pos_embed), layers.<l> and each of its FormerModules, norm, rep_logit, head.
#pragma once
#include "models/kasportsformer.h"

namespace kasf::models {

inline constexpr const char* kMotionAGFormerName = "MotionAGFormer";

class MotionAGFormer final : public KASportsFormer {
 public:
  // `config` must name MotionAGFormer (std::invalid_argument otherwise).
  MotionAGFormer(const ModelConfig& config, Generator& generator);
};

}  // namespace kasf::models
