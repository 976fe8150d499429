#include "models/stcformer.h"

#include "framework/ops.h"
#include "layers/layer_norm.h"
#include "layers/mlp.h"
#include "layers/probe.h"
#include "layers/stc_attention.h"

namespace kasf::models {

// The official STC_BLOCK: criss-cross attention with its own residual, then a pre-norm MLP residual.
class STCBlock : public Module {
 public:
  STCBlock(const ModelConfig& config, Generator& generator)
      : layer_norm_(add_module<LayerNorm>("layer_norm", config.dim_feat())),
        mlp_(add_module<MLP>("mlp", config.dim_feat(), static_cast<int64_t>(config.dim_feat() * config.mlp_ratio()),
                             config.dim_feat(), Activation::Gelu, static_cast<float>(config.drop()), generator, false)),
        stc_att_(add_module<STCAttention>("stc_att", config.dim_feat(), config.num_heads(),
                                          static_cast<float>(config.part_embed_drop_path()), generator)) {}

  Tensor forward(const Tensor& x) {
    Tensor y = stc_att_.forward(x);
    probe(stc_att_.path(), y);
    return add(y, mlp_.forward_after(layer_norm_, y));
  }

 private:
  LayerNorm& layer_norm_;
  MLP& mlp_;
  STCAttention& stc_att_;
};

// The official STCFormer module: the list of blocks, "stc_block.<l>".
class STCFormerStack : public Module {
 public:
  STCFormerStack(const ModelConfig& config, Generator& generator)
      : blocks_(add_module<ModuleList<STCBlock>>("stc_block")) {
    for (int l = 0; l < config.n_layers(); ++l) blocks_.append(config, generator);
  }

  Tensor forward(Tensor x) const {
    for (STCBlock* block : blocks_) {
      x = block->forward(x);
      probe(block->path(), x);
    }
    return x;
  }

 private:
  ModuleList<STCBlock>& blocks_;
};

STCFormer::STCFormer(const ModelConfig& config, Generator& generator)
    : PoseLifter(config),
      pose_emb_(add_module<Linear>("pose_emb", config.dim_in(), config.dim_feat(), false, generator)),
      stcformer_(add_module<STCFormerStack>("stcformer", config, generator)),
      regress_head_(add_module<Linear>("regress_head", config.dim_feat(), 3, false, generator)) {}

Tensor STCFormer::forward(const Tensor& input) {
  check_input(input);
  Tensor x = pose_emb_.forward(input);
  probe("pose_emb", x);
  x = regress_head_.forward(stcformer_.forward(gelu(x)));
  probe("regress_head", x);
  return x;
}

}  // namespace kasf::models
