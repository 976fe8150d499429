// Parity with the official PyTorch model on the committed fixtures (tests/data/fixtures/README.md):
// every check runs on the plain and on the perturbed fixture (suites "plain" and "perturbed"), and
// the eval-mode output and gradients also with the model moved to the emulated CUDA device (suite
// "emulated_cuda": the CUDA backend's kernels, docs/cuda.md), at the same tolerances.
#include <boost/test/unit_test.hpp>
#include <functional>
#include <memory>
#include <set>

#include "fixture_data.h"
#include "framework/autograd.h"
#include "framework/ops.h"
#include "layers/probe.h"
#include "layers/state_dict_io.h"
#include "models/kasportsformer.h"
#include "models/model_config.h"

namespace kasf::test {
namespace {

using models::KASportsFormer;

// Gradient entries are sums over all B*T*J tokens with cancellation, so their float32 rounding error
// scales with the largest entries of the tensor rather than with each entry: a larger atol scale.
constexpr Tolerance kGradientTolerance{1e-5, 1e-5};

// In the plain fixture every layer scale is 1e-5, so from block 1 on the three streams a block fuses
// agree to about 1e-5 and the gradient of its fusion layer (softmax weights times the differences
// of the streams' scores) is a difference of nearly equal numbers: float32 keeps only ~2 of its 7
// digits there, in PyTorch's reference as in ours (measured: up to 2e-2 of the tensor's largest
// entry). Those tensors get an atol at that noise level; the perturbed fixture, whose layer scales
// separate the streams, checks the same parameters at kGradientTolerance.
constexpr Tolerance kCancellingFusionTolerance{1e-5, 5e-2};

Tolerance gradient_tolerance(const std::string& fixture, const std::string& parameter) {
  const bool cancelling = fixture == "fixture_small" && parameter.find("fusion_three_channel") != std::string::npos &&
                          parameter.rfind("layers_with_bone.0.", 0) != 0;
  return cancelling ? kCancellingFusionTolerance : kGradientTolerance;
}

// The fixture's model, loaded on the CPU and then moved to `device` (Module::to).
struct Parity {
  Parity(const std::string& fixture, Device device) : file(fixture), device(device) {
    Generator init(1);
    model = std::make_unique<KASportsFormer>(
        models::config_from_attributes(file.weights().attributes, file.path()), init);
    load_state_dict(*model, file.weights(), true, file.path());
    model->to(device);
  }
  Tensor input() const { return file.tensor("input").to(device); }
  FixtureFile file;
  Device device;
  std::unique_ptr<KASportsFormer> model;
};

void eval_output(const std::string& fixture, Device device) {
  Parity p(fixture, device);
  p.model->eval();
  NoGradGuard no_grad;
  const Tensor output = p.model->forward(p.input());
  BOOST_TEST((output.device() == device));
  check_close(output, p.file.tensor("output"), "output");
}

void eval_intermediates(const std::string& fixture, Device device) {
  Parity p(fixture, device);
  p.model->eval();
  ProbeScope scope;
  p.model->forward(p.input());
  const auto names = p.file.members("intermediates");
  BOOST_TEST(names.size() == 5 + 2 + 3u);  // BoneExt, LimbFus, 3 embeddings; 2 blocks; norm, rep_logit, head
  for (const auto& name : names) check_close(scope.at(name), p.file.tensor("intermediates/" + name), name);
}

void temporal_graphs(const std::string& fixture, Device device) {
  Parity p(fixture, device);
  p.model->eval();
  ProbeScope scope;
  p.model->forward(p.input());
  const auto names = p.file.members("temporal_gcn_adjacency");
  BOOST_TEST(names.size() == 2u);  // one temporal GCN per block
  for (const auto& name : names) {
    const std::string key = "temporal_gcn_adjacency/" + name;
    check_close(scope.at(key), p.file.tensor(key), key, Tolerance{0.0, 0.0});
  }
}

// Forward in the given mode, backward of sum(output^2), as the fixture's gradients.
void output_and_gradients(const std::string& fixture, Device device, bool training) {
  const std::string prefix = training ? "train_mode/" : "";
  Parity p(fixture, device);
  p.model->train(training);
  Tensor input = p.input().set_requires_grad(true);
  Tensor output = p.model->forward(input);
  check_close(output, p.file.tensor(prefix + "output"), prefix + "output");
  sum(mul(output, output)).backward();
  check_close(input.grad(), p.file.tensor(prefix + "grad_input"), prefix + "grad_input", kGradientTolerance);

  const auto members = p.file.members(prefix + "grads");
  const std::set<std::string> expected(members.begin(), members.end());
  for (const auto& [name, parameter] : p.model->named_parameters()) {
    const std::string key = prefix + "grads/" + name;
    const bool unused = name.find(".norm1_limb.") != std::string::npos && name.find(".bone_") == std::string::npos;
    if (unused) {
      // PyTorch gives these no gradient; the fixture stores none or zeros.
      BOOST_TEST(!parameter.grad().defined(), name << " must receive no gradient");
      if (expected.count(name)) check_close(Tensor::zeros(parameter.shape()), p.file.tensor(key), key, Tolerance{0, 0});
      continue;
    }
    BOOST_REQUIRE_MESSAGE(expected.count(name), key << " is missing from the fixture");
    BOOST_REQUIRE_MESSAGE(parameter.grad().defined(), name << " received no gradient");
    check_close(parameter.grad(), p.file.tensor(key), key, gradient_tolerance(fixture, name));
  }
}

void eval_gradients(const std::string& fixture, Device device) { output_and_gradients(fixture, device, false); }
void train_gradients(const std::string& fixture, Device device) { output_and_gradients(fixture, device, true); }

void buffers_after_train_forward(const std::string& fixture, Device device) {
  Parity p(fixture, device);
  p.model->train();
  p.model->forward(p.input());
  check_buffers(*p.model, p.file, "train_mode/buffers_after_forward");
}

}  // namespace
}  // namespace kasf::test

namespace {

using Check = std::function<void(const std::string&, kasf::Device)>;
using NamedChecks = std::vector<std::pair<const char*, Check>>;

// Suites "plain" and "perturbed" with every check on `device`, inside `parent`.
void add_fixture_suites(boost::unit_test::test_suite& parent, const NamedChecks& checks, kasf::Device device) {
  for (const auto& [suite_name, fixture] : {std::pair{"plain", "fixture_small"},
                                            std::pair{"perturbed", "fixture_small_perturbed"}}) {
    auto* suite = BOOST_TEST_SUITE(suite_name);
    for (const auto& [name, check] : checks)
      suite->add(boost::unit_test::make_test_case(
          [check = check, fixture = std::string(fixture), device] { check(fixture, device); }, name, __FILE__,
          __LINE__));
    parent.add(suite);
  }
}

}  // namespace

bool init_unit_test() {
  using namespace kasf::test;
  const NamedChecks checks = {{"eval_output", eval_output},
                              {"eval_intermediates", eval_intermediates},
                              {"temporal_graphs", temporal_graphs},
                              {"eval_gradients", eval_gradients},
                              {"train_gradients", train_gradients},
                              {"buffers_after_train_forward", buffers_after_train_forward}};
  add_fixture_suites(boost::unit_test::framework::master_test_suite(), checks, kasf::Device::CPU);
  // The emulator runs every CUDA thread as a fiber: the two checks that cover all of the model's
  // ops forward and backward keep this suite within CI time.
  auto* emulated = BOOST_TEST_SUITE("emulated_cuda");
  add_fixture_suites(*emulated, {{"eval_output", eval_output}, {"eval_gradients", eval_gradients}},
                     kasf::Device::EmulatedCuda);
  boost::unit_test::framework::master_test_suite().add(emulated);
  return true;
}

int main(int argc, char* argv[]) { return boost::unit_test::unit_test_main(&init_unit_test, argc, argv); }
