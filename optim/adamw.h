// AdamW with decoupled weight decay, identical to torch.optim.AdamW (no amsgrad, no maximize).
//
// Weight decay applies to every parameter, as in the official code. A parameter without a gradient
// at a step is skipped: its moments are not created or advanced and its step count stays, so
// parameters the loss never reaches keep their initial values. Each parameter counts its own steps
// for the bias corrections. The update runs in the parameter's backend (Backend::adamw).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

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
  // differs from its parameter's.
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
  struct Moments {
    int64_t step = 0;
    Tensor exp_avg, exp_avg_sq;  // undefined until the parameter's first update
  };
  std::vector<NamedParameter> parameters_;
  std::vector<Moments> moments_;  // parallel to parameters_
  AdamWOptions options_;
};

}  // namespace kasf
