#include "layers/former_module.h"

#include <stdexcept>

#include "framework/ops.h"
#include "layers/probe.h"

namespace kasf {

FormerModule::FormerModule(const FormerOptions& options, std::unique_ptr<TokenMixer> mixer, Generator& generator)
    : norm1_(add_module<LayerNorm>("norm1", options.dim)),
      norm1_limb_(options.memory_norm ? &add_module<LayerNorm>("norm1_limb", options.dim) : nullptr),
      mixer_(adopt_module("mixer", std::move(mixer))),
      norm2_(add_module<LayerNorm>("norm2", options.dim)),
      mlp_(add_module<MLP>("mlp", options.dim, static_cast<int64_t>(options.dim * options.mlp_ratio), options.dim,
                           options.activation, options.drop, generator)) {
  if (mixer_.reads_memory() && norm1_limb_ == nullptr)
    throw std::invalid_argument("FormerModule: a mixer that reads a memory needs the memory norm norm1_limb");
  if (options.use_layer_scale) {
    layer_scale_1_ = register_parameter("layer_scale_1", Tensor::full({options.dim}, options.layer_scale_init_value));
    layer_scale_2_ = register_parameter("layer_scale_2", Tensor::full({options.dim}, options.layer_scale_init_value));
  }
}

Tensor FormerModule::residual(const Tensor& x, const Tensor& layer_scale, const Tensor& update) const {
  return layer_scale.defined() ? multiply_add(x, layer_scale, update) : add(x, update);
}

Tensor FormerModule::forward(const Tensor& x, const Tensor& memory) {
  if (mixer_.reads_memory() != memory.defined())
    throw std::invalid_argument("FormerModule " + path() +
                                (memory.defined() ? ": memory given to a mixer that reads none"
                                                  : ": its mixer needs a memory"));
  Tensor mixed = mixer_.forward(norm1_.forward(x), memory.defined() ? norm1_limb_->forward(memory) : Tensor());
  Tensor h = residual(x, layer_scale_1_, mixed);
  Tensor out = residual(h, layer_scale_2_, mlp_.forward_after(norm2_, h));
  if (probing()) probe(path(), out);
  return out;
}

}  // namespace kasf
