#include "layers/softmax_fusion_mixer.h"

namespace kasf {

SoftmaxFusionMixer::SoftmaxFusionMixer(int64_t dim) : fusion_(add_module<AdaptiveFusion>("fusion", dim, 2)) {}

Tensor SoftmaxFusionMixer::forward(const Tensor& x, const Tensor& memory) { return fusion_.forward({x, memory}); }

}  // namespace kasf
