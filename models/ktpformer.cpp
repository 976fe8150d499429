#include "models/ktpformer.h"

#include <memory>
#include <numeric>

#include "framework/ops.h"
#include "layers/batch_norm.h"
#include "layers/init.h"
#include "layers/learnable_graph_conv.h"
#include "layers/probe.h"
#include "layers/skeleton.h"
#include "models/mixste_block.h"

namespace kasf::models {

namespace {

// The official KTPFormer's priors map tokens to tokens of dim_feat channels.
class Prior : public Module {
 public:
  virtual Tensor forward(const Tensor& x) = 0;
};

// The official KPA / TPA: ReLU(BN(LearnableGraphConv(x))), BatchNorm over the channels of all tokens.
class GraphPrior : public Prior {
 public:
  GraphPrior(int64_t in_features, int64_t out_features, const Tensor& graph, TokenAxis axis, Generator& generator)
      : gconv_(add_module<LearnableGraphConv>("gconv", in_features, out_features, graph, axis, generator)),
        bn_(add_module<BatchNorm1d>("bn", out_features)) {}

  Tensor forward(const Tensor& x) override {
    Tensor h = gconv_.forward(x);
    return relu(reshape(bn_.forward(reshape(h, {-1, h.size(3)})), h.shape()));
  }

 private:
  LearnableGraphConv& gconv_;
  BatchNorm1d& bn_;
};

// The official StackedTPA: x + gconv2(gconv1(x)).
class StackedGraphPrior : public Prior {
 public:
  StackedGraphPrior(int64_t dim, const Tensor& graph, TokenAxis axis, Generator& generator)
      : gconv1_(add_module<GraphPrior>("gconv1", dim, dim, graph, axis, generator)),
        gconv2_(add_module<GraphPrior>("gconv2", dim, dim, graph, axis, generator)) {}

  Tensor forward(const Tensor& x) override { return add(x, gconv2_.forward(gconv1_.forward(x))); }

 private:
  GraphPrior& gconv1_;
  GraphPrior& gconv2_;
};

// The official KPAttention / TPAttention: the prior, a positional embedding and dropout, then a
// residual pre-norm self-attention (its own norm1, eps 1e-5; proj_drop = drop). The attention's qkv
// and proj are this module's children, as officially.
class PriorAttention : public SelfAttention {
 public:
  PriorAttention(const ModelConfig& config, TokenAxis axis, std::string prior_name, std::unique_ptr<Prior> prior,
                 Generator& generator)
      : SelfAttention(mixste_attention_options(config, axis), generator),
        drop_(static_cast<float>(config.drop())),
        prior_(adopt_module(std::move(prior_name), std::move(prior))),
        norm1_(add_module<LayerNorm>("norm1", config.dim_feat())),
        dropout_rng_(fork(generator)) {
    const bool spatial = axis == TokenAxis::Spatial;
    const int64_t positions = spatial ? config.num_joints() : config.n_frames();
    pos_embed_ = register_parameter(spatial ? "Spatial_pos_embed" : "Temporal_pos_embed",
                                    Tensor::zeros({1, positions, config.dim_feat()}));
    // Frame positions broadcast over the joints of (B, T, J, C): (1, T, 1, C).
    position_shape_ = spatial ? Shape{1, positions, config.dim_feat()} : Shape{1, positions, 1, config.dim_feat()};
    register_generator("output_dropout", dropout_rng_);
  }

  Tensor forward(const Tensor& x, const Tensor& memory) override {
    Tensor prior = prior_.forward(x);
    probe(prior_.path(), prior);
    Tensor y = dropout(add(prior, reshape(pos_embed_, position_shape_)), drop_, training(), dropout_rng_);
    Tensor mixed = SelfAttention::forward(norm1_.forward(y), memory);
    return add(y, dropout(mixed, drop_, training(), dropout_rng_));
  }

 private:
  float drop_;
  Prior& prior_;
  LayerNorm& norm1_;
  Tensor pos_embed_;
  Shape position_shape_;
  Generator dropout_rng_;
};

// The frame chain of the trajectory prior: frame t's parent is t - 1.
std::vector<int64_t> frame_chain(int64_t frames) {
  std::vector<int64_t> parents(frames);
  std::iota(parents.begin(), parents.end(), -1);
  return parents;
}

}  // namespace

// The official KPA_Block / TPA_Block: the prior attention (with its own residual), then the
// residual MLP half of a MixSTE block.
class PriorBlock : public Module {
 public:
  PriorBlock(const ModelConfig& config, TokenAxis axis, std::string prior_name, std::unique_ptr<Prior> prior,
             Generator& generator)
      : attn_(add_module<PriorAttention>("attn", config, axis, std::move(prior_name), std::move(prior), generator)),
        norm2_(add_module<LayerNorm>("norm2", config.dim_feat(), 1e-6f)),
        mlp_(add_module<MLP>("mlp", config.dim_feat(), static_cast<int64_t>(config.dim_feat() * config.mlp_ratio()),
                             config.dim_feat(), Activation::Gelu, static_cast<float>(config.drop()), generator)) {}

  Tensor forward(const Tensor& x) {
    Tensor y = attn_.forward(x, Tensor());
    return add(y, mlp_.forward(norm2_.forward(y)));
  }

 private:
  PriorAttention& attn_;
  LayerNorm& norm2_;
  MLP& mlp_;
};

KTPFormer::KTPFormer(const ModelConfig& config, Generator& generator)
    : PoseLifter(config),
      spatial_blocks_(add_module<ModuleList<MixSTEBlock>>("STEblocks")),
      temporal_blocks_(add_module<ModuleList<MixSTEBlock>>("TTEblocks")),
      spatial_norm_(add_module<LayerNorm>("Spatial_norm", config.dim_feat(), 1e-6f)),
      temporal_norm_(add_module<LayerNorm>("Temporal_norm", config.dim_feat(), 1e-6f)),
      kinematics_block_(add_module<PriorBlock>(
          "kpattention", config, TokenAxis::Spatial, "kpa",
          std::make_unique<GraphPrior>(2, config.dim_feat(),
                                       tree_graph({skeleton::kParents.begin(), skeleton::kParents.end()}),
                                       TokenAxis::Spatial, generator),
          generator)),
      trajectory_block_(add_module<PriorBlock>(
          "tpattention", config, TokenAxis::Temporal, "tpa",
          std::make_unique<StackedGraphPrior>(config.dim_feat(), tree_graph(frame_chain(config.n_frames())),
                                              TokenAxis::Temporal, generator),
          generator)),
      head_(add_module<MixSTEHead>("head", config.dim_feat(), generator)) {
  for (int l = 0; l < config.n_layers(); ++l) {
    spatial_blocks_.append(config, TokenAxis::Spatial, generator);
    temporal_blocks_.append(config, TokenAxis::Temporal, generator);
  }
}

Tensor KTPFormer::forward(const Tensor& input) {
  check_input(input);
  Tensor x = kinematics_block_.forward(slice(input, -1, 0, 2));  // x, y: the KPA's official input
  probe(kinematics_block_.path(), x);
  x = trajectory_block_.forward(spatial_norm_.forward(x));
  probe(trajectory_block_.path(), x);
  x = alternate_blocks(spatial_blocks_, temporal_blocks_, spatial_norm_, temporal_norm_, temporal_norm_.forward(x));
  x = head_.forward(x);
  probe("head", x);
  return x;
}

}  // namespace kasf::models
