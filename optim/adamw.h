// AdamW with decoupled weight decay, identical to torch.optim.AdamW (no amsgrad, no maximize).
//
// Weight decay applies to every parameter, as in the official code. A parameter without a gradient
// at a step is skipped: its moments are not advanced and its step count stays, so
// parameters the loss never reaches keep their initial values. Each parameter counts its own steps
// for the bias corrections. The update runs in the parameters' backend (Backend::adamw).
//
// At its first step the optimizer gathers the parameters into a ParameterArena (so move the model
// to its device before that) and keeps both moments in flat buffers parallel to it: when every
// parameter has its gradient in the arena and all count the same steps (a normal training step),
// the update is one pass over the whole model.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "framework/parameter_arena.h"
#include "framework/tensor.h"

namespace kasf {

struct AdamWOptions {  // PyTorch's defaults
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 1e-2;
};

struct NamedParameter {
  std::string name;
  Tensor value;  // a contiguous leaf; its gradient is read from value.grad()
};

// One parameter's optimizer state as host arrays, for checkpoints.
struct AdamWParameterState {
  std::string name;
  int64_t step = 0;              // updates applied so far (>= 1)
  std::vector<float> exp_avg;    // first moment, row-major, as many values as the parameter
  std::vector<float> exp_avg_sq;  // second moment
};

// The whole optimizer state: the current lr and the parameters that have been updated at least once.
struct AdamWState {
  double lr = 0.0;
  std::vector<AdamWParameterState> parameters;
};

class AdamW {
 public:
  // Throws on invalid options, duplicate or empty names, and undefined or non-contiguous tensors.
  AdamW(std::vector<NamedParameter> parameters, const AdamWOptions& options);

  // One update of every parameter that has a gradient; throws if a gradient's shape or device
  // differs from its parameter's, if the parameters are not on one device, or if one was moved to
  // another device after the first step.
  void step();
  // Drops every parameter's gradient (PyTorch's set_to_none), so a parameter the next backward does
  // not reach is skipped. The official code zeroes gradients instead; that differs only for a
  // parameter reached on some steps and not on others, which KASportsFormer does not have.
  void zero_grad();

  double lr() const { return options_.lr; }
  void set_lr(double lr);  // throws unless lr >= 0
  const AdamWOptions& options() const { return options_; }
  const std::vector<NamedParameter>& parameters() const { return parameters_; }

  AdamWState state() const;
  // Replaces the whole state; parameters absent from `state` start afresh. Throws, naming the
  // parameter, on unknown or repeated names, a step count below 1 or moments of the wrong size.
  void load_state(const AdamWState& state);

 private:
  AdamWStep update_for(int64_t step) const;
  void update_one(size_t i);
  // Parameter i's window of a flat buffer parallel to the parameters.
  Tensor window(const Tensor& flat, size_t i) const;

  std::vector<NamedParameter> parameters_;
  std::vector<int64_t> offsets_;  // of each parameter in the flat buffers
  int64_t total_ = 0;
  std::vector<int64_t> steps_;    // updates applied to each parameter
  Tensor exp_avg_, exp_avg_sq_;   // flat moments; undefined until a first update or loaded state
  std::optional<ParameterArena> arena_;  // from the first step on
  AdamWOptions options_;
};

}  // namespace kasf
