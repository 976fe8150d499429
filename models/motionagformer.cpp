#include "models/motionagformer.h"

#include <stdexcept>

#include "models/variant.h"

namespace kasf::models {

namespace {

const ModelConfig& named_motionagformer(const ModelConfig& config) {
  if (!is_motionagformer(config))
    throw std::invalid_argument("MotionAGFormer: the definition names model " + config.model_name());
  return config;
}

}  // namespace

MotionAGFormer::MotionAGFormer(const ModelConfig& config, Generator& generator)
    : KASportsFormer(named_motionagformer(config), generator) {}

}  // namespace kasf::models
