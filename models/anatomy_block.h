// One block of KASportsFormer (the official RepeatFormerPartWithBone): three parallel streams from
// the block input, fused per token:
//   attention: att_temporal(att_spatial(x))                    joint self-attention
//   graph:     graph_temporal(graph_spatial(x))                GCN
//   anatomy:   bone_temporal(bone_spatial(query, memory), memory)   query stream x memory (limbs)
//   x' = adaptive fusion of [attention, graph, anatomy] ("fusion_three_channel"), or of
//        [attention, graph] ("fusion") in the baseline without anatomy stream.
// The two-stream form is also MotionAGFormer's MotionAGFormerBlock (models/motionagformer.h).
#pragma once
#include "framework/random.h"
#include "layers/adaptive_fusion.h"
#include "layers/former_module.h"
#include "models/model_config.pb.h"

namespace kasf::models {

class AnatomyBlock : public Module {
 public:
  AnatomyBlock(const ModelConfig& config, Generator& generator);
  // x, query, memory: (B, T, J, C). query and memory are ignored without anatomy stream.
  Tensor forward(const Tensor& x, const Tensor& query, const Tensor& memory);

 private:
  FormerModule& att_spatial_;
  FormerModule& att_temporal_;
  FormerModule& graph_spatial_;
  FormerModule& graph_temporal_;
  FormerModule* bone_spatial_ = nullptr;
  FormerModule* bone_temporal_ = nullptr;
  AdaptiveFusion* fusion_ = nullptr;  // null: plain average (use_adaptive_fusion = false)
};

}  // namespace kasf::models
