// STCFormer against the official code (model/STCFormer.py's Model) on the committed fixture
// tests/data/fixtures/stcformer_small.h5 (scripts/make_stcformer_fixtures.py): state-dict keys and
// shapes, parameter counts, eval-mode output, every block's attention and output, and the gradients
// of sum(output^2) with respect to the input and every parameter.
#define BOOST_TEST_MODULE stcformer
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>

#include "framework/autograd.h"
#include "layers/state_dict_io.h"
#include "models/model_config.h"
#include "peer_parity.h"

namespace kasf::test {

BOOST_AUTO_TEST_SUITE(stcformer)

BOOST_AUTO_TEST_CASE(state_dict_and_parameter_count_are_the_official_ones) {
  check_state_dict_and_parameter_count("stcformer_small", "../../configs/stcformer_small.prototxt");
}

BOOST_AUTO_TEST_CASE(eval_output_and_intermediates) {
  check_eval_output_and_intermediates("stcformer_small", 1 + 2 * 2 + 1);  // pose_emb, 2 x (stc_att, block), head
}

// The fixture sets the MLP dropout and the part embeddings' DropPath to 0 and STCFormer has no
// BatchNorm: train mode must give the same numbers.
BOOST_AUTO_TEST_CASE(gradients_of_every_parameter_and_the_input) {
  for (const bool training : {false, true})
    BOOST_TEST_CONTEXT("training " << training) {
      check_output_and_gradients("stcformer_small", Device::CPU, training);
    }
}

// The CUDA backend's kernels through the emulator (docs/cuda.md).
BOOST_AUTO_TEST_CASE(gradients_on_the_emulated_cuda_device) {
  check_output_and_gradients("stcformer_small", Device::EmulatedCuda, false);
}

namespace {

// Whether `a` agrees with `b` at the parity tolerance (no report: the caller counts matches).
bool agrees(const Tensor& a, const Tensor& b) {
  const std::vector<float> x = a.to_vector(), y = b.to_vector();
  float scale = 0.0f;
  for (float v : y) scale = std::max(scale, std::fabs(v));
  for (size_t i = 0; i < x.size(); ++i)
    if (std::fabs(x[i] - y[i]) > 1e-6f * scale + 1e-5f * std::fabs(y[i])) return false;
  return true;
}

}  // namespace

// The fixture cannot reproduce timm's random draws, so DropPath at 0.5 on the part terms is checked
// against the fixture's weights instead: each train-mode forward must equal the eval output with every
// block's spatial part embedding dropped (x 0) or kept at double weight (x 2), and each of the four
// combinations must occur. The temporal term (x 1e-9) is below float resolution here.
BOOST_AUTO_TEST_CASE(part_embedding_drop_path_drops_or_doubles_each_term) {
  const FixtureFile file("stcformer_small");
  models::ModelConfig config = models::config_from_attributes(file.weights().attributes, file.path());
  config.set_part_embed_drop_path(0.5);
  auto build = [&](const io::WeightFile& weights) {
    Generator init(1);
    auto model = models::build_model(config, init);
    load_state_dict(*model, weights, true, file.path());
    return model;
  };
  NoGradGuard no_grad;
  const Tensor input = file.tensor("input");
  std::vector<Tensor> candidates;  // index: bit l set = block l's part term doubled, else dropped
  for (int combination = 0; combination < 4; ++combination) {
    io::WeightFile scaled = file.weights();
    for (auto& [name, array] : scaled.weights)
      for (int l = 0; l < 2; ++l)
        if (name == "stcformer.stc_block." + std::to_string(l) + ".stc_att.emb.weight")
          for (float& v : array.values) v *= (combination >> l & 1) ? 2.0f : 0.0f;
    auto model = build(scaled);
    model->eval();
    candidates.push_back(model->forward(input));
  }
  auto model = build(file.weights());
  model->train();
  std::vector<int> seen(candidates.size(), 0);
  for (int draw = 0; draw < 40; ++draw) {
    const Tensor output = model->forward(input);
    int matches = 0;
    for (size_t c = 0; c < candidates.size(); ++c)
      if (agrees(output, candidates[c])) ++seen[c], ++matches;
    BOOST_TEST(matches == 1, "draw " << draw);
  }
  for (size_t c = 0; c < candidates.size(); ++c) BOOST_TEST(seen[c] > 0, "combination " << c);
}

BOOST_AUTO_TEST_CASE(definitions_outside_stcformer_are_refused) {
  check_definitions_refused(
      {{"model_name: \"STCFormer\" qkv_bias: true dim_out: 4", "dim_out"},
       {"model_name: \"STCFormer\" qkv_bias: true drop_path: 0.1", "drop_path"},
       {"model_name: \"STCFormer\" qkv_bias: true attn_drop: 0.1", "attn_drop"},
       {"model_name: \"STCFormer\" qkv_bias: true qkv_scale: 0.5", "qkv_scale"},
       {"model_name: \"STCFormer\"", "qkv_bias"},
       {"model_name: \"STCFormer\" qkv_bias: true dim_feat: 24", "dim_feat"},
       {"model_name: \"STCFormer\" qkv_bias: true num_joints: 16", "num_joints"},
       {"model_name: \"STCFormer\" qkv_bias: true part_embed_drop_path: 1", "part_embed_drop_path"},
       {"model_name: \"STCFormer\" qkv_bias: true variant: BASELINE", "variant"},
       {"model_name: \"STCFormer\" qkv_bias: true act_layer: \"relu\"", "act_layer"}});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf::test
