#include "peer_parity.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <set>

#include "framework/autograd.h"
#include "framework/ops.h"
#include "layers/probe.h"
#include "layers/state_dict_io.h"
#include "models/model_config.h"

namespace kasf::test {

PeerFixture::PeerFixture(const std::string& name, Device device) : file(name), device(device) {
  Generator init(1);
  model = models::build_model(models::config_from_attributes(file.weights().attributes, file.path()), init);
  load_state_dict(*model, file.weights(), true, file.path());
  model->to(device);
}

Tensor PeerFixture::input() const { return file.tensor("input").to(device); }

int64_t PeerFixture::official_parameter_count() const {
  io::h5::Handle h5 = io::h5::open_file(file.path());
  return std::get<int64_t>(io::h5::read_attribute(h5.id(), "parameter_count"));
}

void check_state_dict_and_parameter_count(const std::string& fixture, const std::string& config_path) {
  PeerFixture f(fixture);
  std::set<std::string> ours, official;
  for (const auto& [name, tensor] : f.model->state_dict()) ours.insert(name);
  for (const auto& [name, array] : f.file.weights().weights) official.insert(name);
  BOOST_TEST(ours == official, boost::test_tools::per_element());
  BOOST_TEST(f.model->parameter_count() == f.official_parameter_count());
  Generator init(2);
  BOOST_TEST(models::build_model(models::read_model_config(config_path), init)->parameter_count() ==
             f.official_parameter_count());
}

void check_eval_output_and_intermediates(const std::string& fixture, size_t expected_count,
                                         const std::map<std::string, Tolerance>& tolerances) {
  PeerFixture f(fixture);
  f.model->eval();
  NoGradGuard no_grad;
  ProbeScope scope;
  check_close(f.model->forward(f.file.tensor("input")), f.file.tensor("output"), "output");
  const auto names = f.file.members("intermediates");
  BOOST_TEST(names.size() == expected_count);
  for (const auto& name : names) {
    const auto tolerance = tolerances.find(name);
    check_close(scope.at(name), f.file.tensor("intermediates/" + name), name,
                tolerance != tolerances.end() ? tolerance->second : Tolerance{});
  }
}

namespace {

double max_abs(const Tensor& t) {
  double m = 0.0;
  for (float v : t.to(Device::CPU).to_vector()) m = std::max(m, std::fabs(static_cast<double>(v)));
  return m;
}

}  // namespace

void check_output_and_gradients(const std::string& fixture, Device device, bool training,
                                const VanishingGradients& vanishing) {
  PeerFixture f(fixture, device);
  const std::string prefix = training && f.file.has("train_mode") ? "train_mode/" : "";
  f.model->train(training);
  Tensor input = f.input().set_requires_grad(true);
  Tensor output = f.model->forward(input);
  BOOST_TEST((output.device() == device));
  check_close(output, f.file.tensor(prefix + "output"), prefix + "output");
  sum(mul(output, output)).backward();
  check_close(input.grad(), f.file.tensor(prefix + "grad_input"), prefix + "grad_input", kPeerGradientTolerance);
  BOOST_TEST(f.file.members(prefix + "grads").size() == f.model->named_parameters().size());
  for (const auto& [name, parameter] : f.model->named_parameters()) {
    const std::string key = prefix + "grads/" + name;
    BOOST_REQUIRE_MESSAGE(parameter.grad().defined(), name << " received no gradient");
    if (const auto scale = vanishing.find(name); scale != vanishing.end()) {
      const double bound = 1e-5 * max_abs(f.file.tensor(prefix + "grads/" + scale->second));
      BOOST_TEST(max_abs(parameter.grad()) <= bound, key << " must vanish");
      BOOST_TEST(max_abs(f.file.tensor(key)) <= bound, key << " must vanish in the fixture");
      continue;
    }
    check_close(parameter.grad(), f.file.tensor(key), key, kPeerGradientTolerance);
  }
}

void check_buffers_after_train_forward(const std::string& fixture, Device device) {
  PeerFixture f(fixture, device);
  f.model->train();
  f.model->forward(f.input());
  check_buffers(*f.model, f.file, "train_mode/buffers_after_forward");
}

void check_definitions_refused(const std::vector<std::pair<std::string, std::string>>& definitions_and_fields) {
  for (const auto& [text, field] : definitions_and_fields) {
    try {
      models::parse_model_config(text, "test.prototxt");
      BOOST_ERROR("accepted: " << text);
    } catch (const models::ConfigError& e) {
      BOOST_TEST(std::string(e.what()).find(field) != std::string::npos, e.what());
    }
  }
}

}  // namespace kasf::test
