// The interface of the token mixers a FormerModule wraps (attention, cross-attention, GCN, ...).
#pragma once
#include "layers/module.h"

namespace kasf {

// Which tokens are mixed: the joints of one frame, or the frames of one joint.
enum class TokenAxis { Spatial, Temporal };

class TokenMixer : public Module {
 public:
  // x: (B, T, J, C) normalised stream. `memory`: the normalised key/value memory (B, T, J, C) for
  // mixers that read one (reads_memory()), else undefined.
  virtual Tensor forward(const Tensor& x, const Tensor& memory) = 0;
  virtual bool reads_memory() const { return false; }
};

}  // namespace kasf
