// The parity checks every Table 1 peer (MixSTE, MotionBERT, ...) runs against its fixture from the
// official code (scripts/official_code.py writes the layout): the model is built from the fixture's
// root attributes and loads its weights strictly.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fixture_data.h"
#include "framework/backend.h"
#include "models/pose_lifter.h"

namespace kasf::test {

// Gradients are sums over all tokens, so their rounding scales with the tensor's largest entries.
constexpr Tolerance kPeerGradientTolerance{1e-5, 1e-5};

// The fixture `name`'s model, loaded on the CPU and moved to `device`.
struct PeerFixture {
  explicit PeerFixture(const std::string& name, Device device = Device::CPU);
  Tensor input() const;
  int64_t official_parameter_count() const;  // the fixture's parameter_count attribute
  FixtureFile file;
  Device device;
  std::unique_ptr<models::PoseLifter> model;
};

// The state-dict keys equal the official ones, the parameter count the official constructor's, and
// `config_path` (the fixture's prototxt) builds a model of that count.
void check_state_dict_and_parameter_count(const std::string& fixture, const std::string& config_path);

// Eval-mode output, and every intermediates/<name> against the probe of that name, at the default
// Tolerance unless `tolerances` names it (a value bounded by a saturating function, whose rounding
// follows its input's scale); `expected_count` guards against a fixture or a probe set that silently shrank.
void check_eval_output_and_intermediates(const std::string& fixture, size_t expected_count,
                                         const std::map<std::string, Tolerance>& tolerances = {});

// Parameters whose gradient is zero up to rounding, each with the parameter whose gradient sets
// the scale of that rounding: a bias right before a train-mode BatchNorm (which subtracts each
// channel's batch mean), with the BatchNorm's bias (the sum of the gradient that cancels).
using VanishingGradients = std::map<std::string, std::string>;

// Forward in the given mode, backward of sum(output^2): output, grad_input and every parameter's
// gradient against the fixture; in train mode against its train_mode/ group where it has one
// (models with BatchNorm), else against the eval-mode values. The `vanishing` gradients, ours and
// the fixture's, must instead lie within 1e-5 of their scale's largest entry of zero.
void check_output_and_gradients(const std::string& fixture, Device device, bool training,
                                const VanishingGradients& vanishing = {});

// The buffers (BatchNorm statistics) after one train-mode forward against the fixture's
// train_mode/buffers_after_forward.
void check_buffers_after_train_forward(const std::string& fixture, Device device);

// Each definition (prototxt text) is refused with a ConfigError naming its field.
void check_definitions_refused(const std::vector<std::pair<std::string, std::string>>& definitions_and_fields);

}  // namespace kasf::test
