// The "softmax" alternative to the anatomy cross-attention (ablation variant SOFTMAX_FUSION, see
// docs/model.md): the bone-stream tokens and the limb-memory tokens are blended per token by an
// adaptive 2-way softmax fusion ("fusion"), with no attention between tokens.
#pragma once
#include "layers/adaptive_fusion.h"
#include "layers/token_mixer.h"

namespace kasf {

class SoftmaxFusionMixer : public TokenMixer {
 public:
  explicit SoftmaxFusionMixer(int64_t dim);
  Tensor forward(const Tensor& x, const Tensor& memory) override;
  bool reads_memory() const override { return true; }

 private:
  AdaptiveFusion& fusion_;
};

}  // namespace kasf
