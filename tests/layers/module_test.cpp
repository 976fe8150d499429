#define BOOST_TEST_MODULE layers
#include <boost/test/unit_test.hpp>

#include "framework/io/weight_file.h"
#include "layers/batch_norm.h"
#include "layers/linear.h"
#include "layers/mlp.h"
#include "layers/state_dict_io.h"

using namespace kasf;

namespace {

// A small tree in the shape of torch modules: own parameter registered after a child, a buffer-
// holding child and a module list.
class Toy : public Module {
 public:
  explicit Toy(Generator& generator)
      : fc_(add_module<Linear>("fc", 3, 2, true, generator)),
        norm_(add_module<BatchNorm1d>("norm", 2)),
        list_(add_module<ModuleList<Linear>>("blocks")) {
    list_.append(2, 2, false, generator);
    list_.append(2, 1, true, generator);
    scale_ = register_parameter("scale", Tensor::full({2}, 0.5f));
  }
  Linear& fc_;
  BatchNorm1d& norm_;
  ModuleList<Linear>& list_;
  Tensor scale_;
};

std::vector<std::string> names(const NamedTensors& entries) {
  std::vector<std::string> out;
  for (const auto& entry : entries) out.push_back(entry.first);
  return out;
}

std::string load_error(Module& module, const io::WeightFile& file, bool strict) {
  try {
    load_state_dict(module, file, strict, "toy.h5");
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(module)

BOOST_AUTO_TEST_CASE(names_follow_torch_state_dict_order) {
  Generator generator(1);
  Toy toy(generator);
  const std::vector<std::string> parameters = {"scale", "fc.weight", "fc.bias", "norm.weight", "norm.bias",
                                               "blocks.0.weight", "blocks.1.weight", "blocks.1.bias"};
  BOOST_TEST(names(toy.named_parameters()) == parameters, boost::test_tools::per_element());
  const std::vector<std::string> state = {"scale", "fc.weight", "fc.bias", "norm.weight", "norm.bias",
                                          "norm.running_mean", "norm.running_var", "norm.num_batches_tracked",
                                          "blocks.0.weight", "blocks.1.weight", "blocks.1.bias"};
  BOOST_TEST(names(toy.state_dict()) == state, boost::test_tools::per_element());
  BOOST_TEST(toy.parameter_count() == 2 + 6 + 2 + 2 + 2 + 4 + 2 + 1);
  BOOST_TEST(toy.list_[1].path() == "blocks.1");
  for (const auto& parameter : toy.parameters()) BOOST_TEST(parameter.requires_grad());
  for (const auto& buffer : toy.named_buffers()) BOOST_TEST(!buffer.second.requires_grad());
}

BOOST_AUTO_TEST_CASE(mode_reaches_every_descendant) {
  Generator generator(1);
  Toy toy(generator);
  BOOST_TEST(toy.list_[0].training());
  toy.eval();
  BOOST_TEST(!toy.training());
  BOOST_TEST(!toy.norm_.training());
  BOOST_TEST(!toy.list_[1].training());
  toy.train();
  BOOST_TEST(toy.list_[1].training());
}

BOOST_AUTO_TEST_CASE(load_copies_values_and_strips_the_data_parallel_prefix) {
  Generator generator(1);
  Toy source(generator), target(generator);
  io::WeightFile file = to_weight_file(source);
  for (auto& entry : file.weights) entry.first = "module." + entry.first;
  load_state_dict(target, file, true, "toy.h5");
  const auto expected = source.state_dict(), loaded = target.state_dict();
  for (size_t i = 0; i < expected.size(); ++i)
    BOOST_TEST(loaded[i].second.to_vector() == expected[i].second.to_vector(), boost::test_tools::per_element());
  BOOST_TEST(!target.fc_.weight().same(source.fc_.weight()));  // copied, not shared
  BOOST_TEST(target.fc_.weight().requires_grad());
}

BOOST_AUTO_TEST_CASE(strict_load_reports_every_problem_by_key) {
  Generator generator(1);
  Toy toy(generator);
  io::WeightFile file = to_weight_file(toy);
  file.weights.erase(file.weights.begin() + 1);                  // fc.weight missing
  file.weights.erase(file.weights.begin() + 5);                  // norm.running_var missing
  file.weights[0].second = io::HostArray{{3}, {1.0f, 2.0f, 3.0f}};  // scale misshaped
  file.weights.emplace_back("extra.weight", io::HostArray{{1}, {0.0f}});
  const std::string message = load_error(toy, file, true);
  for (const char* expected : {"toy.h5", "missing keys (2)", "fc.weight", "norm.running_var", "misshaped keys (1)",
                               "scale: file (3,), model (2,)", "unexpected keys (1)", "extra.weight"})
    BOOST_TEST(message.find(expected) != std::string::npos, expected << " in " << message);
  // Nothing is loaded when the file does not fit.
  BOOST_TEST(toy.scale_.to_vector() == (std::vector<float>{0.5f, 0.5f}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(non_strict_load_tolerates_missing_and_unexpected_but_not_misshaped) {
  Generator generator(1);
  Toy toy(generator);
  io::WeightFile file;
  file.weights.emplace_back("scale", io::HostArray{{2}, {7.0f, 8.0f}});
  file.weights.emplace_back("extra", io::HostArray{{1}, {0.0f}});
  BOOST_TEST(load_error(toy, file, false).empty());
  BOOST_TEST(toy.scale_.to_vector() == (std::vector<float>{7.0f, 8.0f}), boost::test_tools::per_element());
  file.weights.emplace_back("fc.bias", io::HostArray{{3}, {0.0f, 0.0f, 0.0f}});
  BOOST_TEST(load_error(toy, file, false).find("fc.bias") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(to_moves_every_parameter_and_buffer_in_place) {
  Generator generator(1);
  Toy toy(generator);
  toy.fc_.weight().set_grad(Tensor::full({2, 3}, 2.0f));
  std::vector<std::vector<float>> before;
  for (const auto& entry : toy.state_dict()) before.push_back(entry.second.to_vector());
  toy.to(Device::EmulatedCuda);
  BOOST_TEST((toy.device() == Device::EmulatedCuda));
  // The handles the layers keep see the moved storage, with the same values.
  BOOST_TEST((toy.fc_.weight().device() == Device::EmulatedCuda));
  BOOST_TEST((toy.norm_.named_buffers().front().second.device() == Device::EmulatedCuda));
  BOOST_TEST(toy.fc_.weight().grad().to_vector() == std::vector<float>(6, 2.0f), boost::test_tools::per_element());
  const NamedTensors state = toy.state_dict();
  for (size_t i = 0; i < state.size(); ++i) {
    BOOST_TEST((state[i].second.device() == Device::EmulatedCuda), state[i].first);
    BOOST_TEST(state[i].second.to_vector() == before[i], boost::test_tools::per_element());
  }
  BOOST_TEST(toy.scale_.requires_grad());
  toy.to(Device::CPU);
  BOOST_TEST((toy.scale_.device() == Device::CPU));
  BOOST_TEST(toy.scale_.to_vector() == before[0], boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(device_of_parameters_spread_over_devices_is_an_error) {
  Generator generator(1);
  Toy toy(generator);
  toy.fc_.bias().move_to(Device::EmulatedCuda);
  BOOST_CHECK_EXCEPTION(toy.device(), std::logic_error, [](const std::logic_error& e) {
    return std::string(e.what()).find("'fc.bias' is on emulated_cuda") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(random_streams_are_named_and_restoring_one_repeats_its_masks) {
  class WithStreams : public Module {
   public:
    explicit WithStreams(Generator& generator)
        : rng_(7), mlp_(add_module<MLP>("head", 4, 8, 4, Activation::Gelu, 0.5f, generator)) {
      register_generator("noise", rng_);
    }
    Generator rng_;
    MLP& mlp_;
  };
  Generator generator(3);
  WithStreams module(generator);
  const NamedGenerators streams = module.named_generators();
  BOOST_TEST_REQUIRE(streams.size() == 2u);
  BOOST_TEST(streams[0].first == "noise");
  BOOST_TEST(streams[0].second == &module.rng_);
  BOOST_TEST(streams[1].first == "head.dropout");

  // The listed generator is the one the MLP's dropout draws from: putting it back repeats the masks.
  const Tensor x = Tensor::full({16, 4}, 1.0f);
  Generator& dropout = *streams[1].second;
  const uint64_t seed = dropout.seed(), offset = dropout.offset();
  const std::vector<float> first = module.mlp_.forward(x).to_vector();
  const std::vector<float> second = module.mlp_.forward(x).to_vector();
  BOOST_TEST(first != second);
  dropout.set_state(seed, offset);
  BOOST_TEST(module.mlp_.forward(x).to_vector() == first, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(duplicate_member_names_are_rejected) {
  class Twice : public Module {
   public:
    Twice() {
      register_parameter("w", Tensor::zeros({1}));
      register_buffer("w", Tensor::zeros({1}));
    }
  };
  BOOST_CHECK_THROW(Twice(), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
