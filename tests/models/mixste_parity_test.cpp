// MixSTE against the official code (model/MixSTE.py's MixSTE2) on the committed fixture
// tests/data/fixtures/mixste_small.h5 (scripts/make_mixste_fixtures.py): state-dict keys and shapes,
// parameter counts, eval-mode output, every block's output, and the gradients of sum(output^2)
// with respect to the input and every parameter.
#define BOOST_TEST_MODULE mixste
#include <boost/test/unit_test.hpp>
#include <set>

#include "fixture_data.h"
#include "framework/autograd.h"
#include "framework/ops.h"
#include "layers/probe.h"
#include "layers/state_dict_io.h"
#include "models/model_config.h"
#include "models/pose_lifter.h"

namespace kasf::test {
namespace {

// As for KASportsFormer: gradients are sums over all tokens, so their rounding scales with the
// tensor's largest entries.
constexpr Tolerance kGradientTolerance{1e-5, 1e-5};

// The fixture's model, loaded on the CPU and moved to `device`.
struct Fixture {
  explicit Fixture(Device device = Device::CPU) : file("mixste_small"), device(device) {
    Generator init(1);
    model = models::build_model(models::config_from_attributes(file.weights().attributes, file.path()), init);
    load_state_dict(*model, file.weights(), true, file.path());
    model->to(device);
  }
  Tensor input() const { return file.tensor("input").to(device); }
  FixtureFile file;
  Device device;
  std::unique_ptr<models::PoseLifter> model;
};

// Forward in the given mode, backward of sum(output^2), against the fixture's output and gradients.
void check_output_and_gradients(Device device, bool training) {
  Fixture f(device);
  f.model->train(training);
  Tensor input = f.input().set_requires_grad(true);
  Tensor output = f.model->forward(input);
  BOOST_TEST((output.device() == device));
  check_close(output, f.file.tensor("output"), "output");
  sum(mul(output, output)).backward();
  check_close(input.grad(), f.file.tensor("grad_input"), "grad_input", kGradientTolerance);
  const auto members = f.file.members("grads");
  BOOST_TEST(members.size() == f.model->named_parameters().size());
  for (const auto& [name, parameter] : f.model->named_parameters()) {
    BOOST_REQUIRE_MESSAGE(parameter.grad().defined(), name << " received no gradient");
    check_close(parameter.grad(), f.file.tensor("grads/" + name), "grads/" + name, kGradientTolerance);
  }
}

int64_t fixture_parameter_count(const FixtureFile& file) {
  io::h5::Handle h5 = io::h5::open_file(file.path());
  return std::get<int64_t>(io::h5::read_attribute(h5.id(), "parameter_count"));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mixste)

BOOST_AUTO_TEST_CASE(state_dict_and_parameter_count_are_the_official_ones) {
  Fixture f;
  const auto state = f.model->state_dict();
  std::set<std::string> ours, official;
  for (const auto& [name, tensor] : state) ours.insert(name);
  for (const auto& [name, array] : f.file.weights().weights) official.insert(name);
  BOOST_TEST(ours == official, boost::test_tools::per_element());
  BOOST_TEST(f.model->parameter_count() == fixture_parameter_count(f.file));
  // The fixture's configuration file builds the same model.
  Generator init(2);
  BOOST_TEST(models::build_model(models::read_model_config("../../configs/mixste_small.prototxt"), init)
                 ->parameter_count() == fixture_parameter_count(f.file));
}

BOOST_AUTO_TEST_CASE(eval_output_and_intermediates) {
  Fixture f;
  f.model->eval();
  NoGradGuard no_grad;
  ProbeScope scope;
  check_close(f.model->forward(f.file.tensor("input")), f.file.tensor("output"), "output");
  const auto names = f.file.members("intermediates");
  BOOST_TEST(names.size() == 1 + 3 + 3 + 1u);  // embedding, 3 STE blocks, 3 TTE blocks, head
  for (const auto& name : names) check_close(scope.at(name), f.file.tensor("intermediates/" + name), name);
}

// MixSTE has no BatchNorm and the fixture no dropout: train mode must give the same numbers.
BOOST_AUTO_TEST_CASE(gradients_of_every_parameter_and_the_input) {
  for (const bool training : {false, true})
    BOOST_TEST_CONTEXT("training " << training) { check_output_and_gradients(Device::CPU, training); }
}

// The CUDA backend's kernels through the emulator (docs/cuda.md).
BOOST_AUTO_TEST_CASE(gradients_on_the_emulated_cuda_device) { check_output_and_gradients(Device::EmulatedCuda, false); }

BOOST_AUTO_TEST_CASE(definitions_outside_mixste_are_refused) {
  for (const auto& [text, field] : {std::pair{"model_name: \"MixSTE\" dim_out: 4", "dim_out"},
                                    std::pair{"model_name: \"MixSTE\" drop_path: 0.1", "drop_path"},
                                    std::pair{"model_name: \"MixSTE\" variant: BASELINE", "variant"},
                                    std::pair{"model_name: \"MixSTE\" act_layer: \"relu\"", "act_layer"},
                                    std::pair{"model_name: \"MixSTEv2\"", "model_name"}}) {
    try {
      models::parse_model_config(text, "test.prototxt");
      BOOST_ERROR("accepted: " << text);
    } catch (const models::ConfigError& e) {
      BOOST_TEST(std::string(e.what()).find(field) != std::string::npos, e.what());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf::test
