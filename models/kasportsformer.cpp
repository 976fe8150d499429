#include "models/kasportsformer.h"

#include "framework/autograd.h"
#include "framework/ops.h"
#include "layers/bone_ext.h"
#include "layers/probe.h"
#include "models/variant.h"

namespace kasf::models {

KASportsFormer::KASportsFormer(const ModelConfig& config, Generator& generator)
    : PoseLifter(config),
      joints_embed_(add_module<Linear>("joints_embed", config.dim_in(), config.dim_feat(), true, generator)),
      bone_embed_(streams_of(config).bone_embedding
                      ? &add_module<Linear>("bone_embed", config.dim_in(), config.dim_feat(), true, generator)
                      : nullptr),
      limb_embed_(streams_of(config).limb_embedding
                      ? &add_module<Linear>("limb_embed", config.dim_in(), config.dim_feat(), true, generator)
                      : nullptr),
      norm_(add_module<LayerNorm>("norm", config.dim_feat())),
      bone_refusion_(streams_of(config).limb_embedding ? &add_module<LimbFus>("bone_refusion", generator)
                                                                 : nullptr),
      layers_(add_module<ModuleList<AnatomyBlock>>(is_motionagformer(config) ? "layers" : "layers_with_bone")),
      rep_logit_(add_module<PreLogits>("rep_logit", config.dim_feat(), config.dim_rep(), generator)),
      head_(add_module<Linear>("head", config.dim_rep(), config.dim_out(), true, generator)) {
  const Shape embedding_shape = {1, config.num_joints(), config.dim_feat()};
  pos_embed_ = register_parameter("pos_embed", Tensor::zeros(embedding_shape));
  if (bone_embed_ != nullptr) bone_pos_embed_ = register_parameter("bone_pos_embed", Tensor::zeros(embedding_shape));
  if (limb_embed_ != nullptr) limb_pos_embed_ = register_parameter("limb_pos_embed", Tensor::zeros(embedding_shape));
  for (int l = 0; l < config.n_layers(); ++l) layers_.append(config, generator);
}

Tensor KASportsFormer::forward(const Tensor& input) {
  check_input(input);
  auto embed = [](const char* name, const Linear& embedding, const Tensor& features, const Tensor& position) {
    Tensor embedded = embedding.forward(features);
    probe(name, embedded);
    return add(embedded, position);
  };
  Tensor joints = embed("joints_embed", joints_embed_, input, pos_embed_);
  Tensor bones, limbs;
  if (bone_embed_ != nullptr) {
    Tensor features = bone_features(input);
    probe("bone_decomposer", features);
    bones = embed("bone_embed", *bone_embed_, features, bone_pos_embed_);
  }
  if (limb_embed_ != nullptr) {
    Tensor features = bone_refusion_->forward(input);
    probe("bone_refusion", features);
    limbs = embed("limb_embed", *limb_embed_, features, limb_pos_embed_);
  }
  // The anatomy stream's memory: the limbs, or the bones when the variant has no limbs.
  const Tensor& memory = limbs.defined() ? limbs : bones;
  Tensor x = joints;
  for (size_t l = 0; l < layers_.size(); ++l) {
    const Tensor& query = (l == 0 && bones.defined()) ? bones : x;
    x = block_forward(l, x, query, memory);
    if (probing()) probe(layers_[l].path(), x);
  }
  x = norm_.forward(x);
  probe("norm", x);
  x = rep_logit_.forward(x);
  probe("rep_logit", x);
  x = head_.forward(x);
  probe("head", x);
  return x;
}

Tensor KASportsFormer::block_forward(size_t l, const Tensor& x, const Tensor& query, const Tensor& memory) {
  AnatomyBlock& block = layers_[l];
  if (!recompute_blocks_ || !training() || !grad_enabled()) return block.forward(x, query, memory);
  // The recomputation draws the same dropout masks: it replays the block's streams from here.
  std::vector<std::pair<uint64_t, uint64_t>> start;
  for (const auto& [name, generator] : block.named_generators()) start.emplace_back(generator->seed(), generator->offset());
  return recompute_in_backward(
      [&block, start](const std::vector<Tensor>& in) {
        if (!recomputing()) return block.forward(in[0], in[1], in[2]);
        const NamedGenerators streams = block.named_generators();
        std::vector<std::pair<uint64_t, uint64_t>> now;
        for (size_t i = 0; i < streams.size(); ++i) {
          now.emplace_back(streams[i].second->seed(), streams[i].second->offset());
          streams[i].second->set_state(start[i].first, start[i].second);
        }
        Tensor out = block.forward(in[0], in[1], in[2]);
        for (size_t i = 0; i < streams.size(); ++i) streams[i].second->set_state(now[i].first, now[i].second);
        return out;
      },
      {x, query, memory});
}

}  // namespace kasf::models
