// FormerModule: the pre-norm residual unit around a token mixer, with layer scale (official
// FormerModule, and MotionAGFormer's AGFormerBlock without the memory norm):
//   x = x + layer_scale_1 * mixer(norm1(x) [, norm1_limb(memory)])
//   x = x + layer_scale_2 * mlp(norm2(x))
// KASportsFormer's FormerModule has norm1_limb whatever its mixer, but only mixers that read a
// memory use it; the others' norm1_limb parameters never receive a gradient. With a ProbeScope
// alive, forward() reports its output under its path.
#pragma once
#include <memory>

#include "framework/random.h"
#include "layers/activation.h"
#include "layers/layer_norm.h"
#include "layers/mlp.h"
#include "layers/token_mixer.h"

namespace kasf {

struct FormerOptions {
  int64_t dim = 0;
  double mlp_ratio = 4.0;
  Activation activation = Activation::Gelu;
  float drop = 0.0f;  // dropout inside the MLP
  bool use_layer_scale = true;
  float layer_scale_init_value = 1e-5f;
  bool memory_norm = true;  // norm1_limb (KASportsFormer's); required by mixers that read a memory
};

class FormerModule : public Module {
 public:
  FormerModule(const FormerOptions& options, std::unique_ptr<TokenMixer> mixer, Generator& generator);
  // `memory` (B, T, J, C) is required exactly when the mixer reads one.
  Tensor forward(const Tensor& x, const Tensor& memory = Tensor());

 private:
  // x + layer_scale * update, or x + update without a layer scale.
  Tensor residual(const Tensor& x, const Tensor& layer_scale, const Tensor& update) const;

  Tensor layer_scale_1_;
  Tensor layer_scale_2_;
  LayerNorm& norm1_;
  LayerNorm* norm1_limb_ = nullptr;
  TokenMixer& mixer_;
  LayerNorm& norm2_;
  MLP& mlp_;
};

}  // namespace kasf
