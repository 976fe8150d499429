#include "layers/limb_fus.h"

#include "framework/ops.h"
#include "layers/skeleton.h"

namespace kasf {

LimbMLP::LimbMLP(std::vector<int64_t> members, int64_t hidden, Generator& generator)
    : members_(std::move(members)),
      mlp_dir_x_(add_module<MLP>("mlp_dir_x", members_.size(), hidden, 1, Activation::Gelu, 0.0f, generator)),
      mlp_dir_y_(add_module<MLP>("mlp_dir_y", members_.size(), hidden, 1, Activation::Gelu, 0.0f, generator)),
      mlp_len_(add_module<MLP>("mlp_len", members_.size(), hidden, 1, Activation::Gelu, 0.0f, generator)) {}

Tensor LimbMLP::forward(const Tensor& input) {
  Tensor gathered = index_select(input, 2, members_);  // (B, T, n, 3)
  auto channel = [&](int64_t c) { return squeeze(slice(gathered, 3, c, c + 1), 3); };
  Tensor out = concat({mlp_dir_x_.forward(channel(0)), mlp_dir_y_.forward(channel(1)), mlp_len_.forward(channel(2))},
                      -1);  // (B, T, 3)
  return unsqueeze(out, 2);
}

LimbFus::LimbFus(Generator& generator, int64_t hidden) : mlp_layers_(add_module<ModuleList<LimbMLP>>("mlp_layers")) {
  for (const auto& members : skeleton::limb_groups()) mlp_layers_.append(members, hidden, generator);
}

Tensor LimbFus::forward(const Tensor& input) {
  if (input.rank() != 4 || input.size(2) != skeleton::kNumJoints || input.size(3) != 3)
    throw ShapeError("LimbFus: expected input (B, T, 17, 3), got " + to_string(input.shape()));
  std::vector<Tensor> limbs;
  for (LimbMLP* limb : mlp_layers_) limbs.push_back(limb->forward(input));
  return concat(limbs, 2);
}

}  // namespace kasf
