#include "models/pose_lifter.h"

#include <stdexcept>
#include <string>

#include "framework/shape.h"
#include "models/kasportsformer.h"
#include "models/ktpformer.h"
#include "models/mixste.h"
#include "models/motionagformer.h"
#include "models/motionbert.h"
#include "models/stcformer.h"

namespace kasf::models {

void PoseLifter::check_input(const Tensor& input) const {
  const Shape expected = {input.rank() > 0 ? input.size(0) : 0, config_.n_frames(), config_.num_joints(),
                          config_.dim_in()};
  if (input.shape() != expected)
    throw ShapeError(config_.model_name() + ": expected input (B, " + std::to_string(config_.n_frames()) + ", " +
                     std::to_string(config_.num_joints()) + ", " + std::to_string(config_.dim_in()) + "), got " +
                     to_string(input.shape()));
}

void PoseLifter::set_recompute_blocks(bool on) {
  if (on) throw std::invalid_argument("recompute_blocks: " + config_.model_name() + " does not support it");
}

std::unique_ptr<PoseLifter> build_model(const ModelConfig& config, Generator& generator) {
  if (config.model_name() == kMixSTEName) return std::make_unique<MixSTE>(config, generator);
  if (config.model_name() == kMotionAGFormerName) return std::make_unique<MotionAGFormer>(config, generator);
  if (config.model_name() == kSTCFormerName) return std::make_unique<STCFormer>(config, generator);
  if (config.model_name() == kKTPFormerName) return std::make_unique<KTPFormer>(config, generator);
  if (config.model_name() == kDSTformerName) return std::make_unique<DSTformer>(config, generator);
  return std::make_unique<KASportsFormer>(config, generator);
}

}  // namespace kasf::models
