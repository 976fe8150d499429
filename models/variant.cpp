#include "models/variant.h"

#include <stdexcept>

#include "models/motionagformer.h"

namespace kasf::models {

VariantStreams streams_of(const ModelConfig& config) {
  switch (is_motionagformer(config) ? BASELINE : config.variant()) {
    case KASPORTSFORMER: return {true, true, true, true};
    case BASELINE: return {false, false, false, false};
    case WITHOUT_BONE: return {false, true, true, true};
    case WITHOUT_LIMB: return {true, false, true, true};
    case SOFTMAX_FUSION: return {true, true, true, false};
  }
  throw std::invalid_argument("unknown model variant " + std::to_string(static_cast<int>(config.variant())));
}

bool is_motionagformer(const ModelConfig& config) { return config.model_name() == kMotionAGFormerName; }

}  // namespace kasf::models
