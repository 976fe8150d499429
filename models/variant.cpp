#include "models/variant.h"

#include <stdexcept>

namespace kasf::models {

VariantStreams streams_of(Variant variant) {
  switch (variant) {
    case KASPORTSFORMER: return {true, true, true, true};
    case BASELINE: return {false, false, false, false};
    case WITHOUT_BONE: return {false, true, true, true};
    case WITHOUT_LIMB: return {true, false, true, true};
    case SOFTMAX_FUSION: return {true, true, true, false};
  }
  throw std::invalid_argument("unknown model variant " + std::to_string(static_cast<int>(variant)));
}

}  // namespace kasf::models
