// The models kasf trains and runs: every one lifts (B, n_frames, num_joints, dim_in) 2D clips to
// (B, n_frames, num_joints, dim_out) 3D poses and is described by a ModelConfig, whose model_name
// picks the architecture (docs/model.md).
#pragma once
#include <memory>

#include "framework/random.h"
#include "layers/module.h"
#include "models/model_config.pb.h"

namespace kasf::models {

class PoseLifter : public Module {
 public:
  explicit PoseLifter(const ModelConfig& config) : config_(config) {}
  virtual Tensor forward(const Tensor& input) = 0;
  const ModelConfig& config() const { return config_; }
  // Training keeps only each block's inputs and runs the block again in backward
  // (recompute_in_backward): about a third more time per step for a fraction of the memory. A model
  // without this support refuses `on` with std::invalid_argument naming it.
  virtual void set_recompute_blocks(bool on);

 protected:
  // Throws ShapeError naming the model unless `input` is (B, n_frames, num_joints, dim_in).
  void check_input(const Tensor& input) const;

 private:
  ModelConfig config_;
};

// The model `config` describes (KASportsFormer or a Table 1 peer: MixSTE, MotionAGFormer,
// KTPFormer, STCFormer, DSTformer), randomly initialised from `generator`.
std::unique_ptr<PoseLifter> build_model(const ModelConfig& config, Generator& generator);

}  // namespace kasf::models
