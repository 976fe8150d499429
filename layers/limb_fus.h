// LimbFus (the official bone_refusion / BoneMLP): 17 limb tokens from the model input
// (B, T, 17, 3). Limb i gathers its member tokens (skeleton::limb_groups()) and maps each channel's
// member vector through its own MLP (n_i -> 16 -> 1, exact GELU): "mlp_dir_x" reads channel 0,
// "mlp_dir_y" channel 1 and "mlp_len" channel 2 (the confidence, for the raw-joint input the
// official model passes). Output (B, T, 17, 3).
#pragma once
#include <vector>

#include "framework/random.h"
#include "layers/mlp.h"

namespace kasf {

class LimbMLP : public Module {
 public:
  LimbMLP(std::vector<int64_t> members, int64_t hidden, Generator& generator);
  // input (B, T, J, 3) -> (B, T, 1, 3)
  Tensor forward(const Tensor& input);

 private:
  std::vector<int64_t> members_;
  MLP& mlp_dir_x_;
  MLP& mlp_dir_y_;
  MLP& mlp_len_;
};

class LimbFus : public Module {
 public:
  explicit LimbFus(Generator& generator, int64_t hidden = 16);
  Tensor forward(const Tensor& input);

 private:
  ModuleList<LimbMLP>& mlp_layers_;
};

}  // namespace kasf
