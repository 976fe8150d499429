// Parameter and state-dict inventories against numbers derived independently: the official model's
// counts (spec section 3, confirmed there by instantiating the PyTorch model), the fixture's own
// state-dict key list (written by PyTorch), and hand sums for the ablation variants.
#include <boost/test/unit_test.hpp>

#include "fixture_data.h"
#include "models/kasportsformer.h"
#include "models/model_config.h"

using namespace kasf;
using namespace kasf::models;

namespace {

std::unique_ptr<KASportsFormer> build(const std::string& definition) {
  Generator init(7);
  return std::make_unique<KASportsFormer>(parse_model_config(definition, "test"), init);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parameter_count)

BOOST_AUTO_TEST_CASE(official_sportspose_model) {
  Generator init(7);
  KASportsFormer model(read_model_config("../../configs/kasportsformer_sportspose.prototxt"), init);
  BOOST_TEST(model.parameter_count() == 29365668);
  BOOST_TEST(model.named_parameters().size() == 2819u);
  BOOST_TEST(model.state_dict().size() == 2975u);
  BOOST_TEST(model.named_buffers().size() == 156u);  // 52 BatchNorms x 3
  int64_t buffer_scalars = 0;
  for (const auto& entry : model.named_buffers()) buffer_scalars += entry.second.numel();
  BOOST_TEST(buffer_scalars == 2340);  // 26 x (17 + 27) x 2 statistics + 52 counters
}

BOOST_AUTO_TEST_CASE(state_dict_keys_order_and_shapes_match_pytorch) {
  test::FixtureFile fixture("fixture_small");
  auto model = build("n_layers: 2 dim_feat: 32 dim_rep: 64 num_heads: 4 n_frames: 9");
  const auto state = model->state_dict();
  const auto& reference = fixture.weights().weights;  // in the file's state_dict_keys order
  BOOST_REQUIRE_EQUAL(state.size(), reference.size());
  for (size_t i = 0; i < state.size(); ++i) {
    BOOST_TEST(state[i].first == reference[i].first);
    BOOST_TEST(state[i].second.shape() == reference[i].second.shape, state[i].first);
  }
  BOOST_TEST(model->parameter_count() == 154164);
  BOOST_TEST(model->named_parameters().size() == 419u);
}

// Per block at d = 128 (spec section 3): attention FormerModule 198,400, GCN FormerModules 165,794
// (spatial) and 165,814 (temporal), anatomy cross-attention FormerModule 198,400, 3-way fusion 1,155.
// Outside the blocks: embeddings 3 x 512, positional embeddings 3 x 2,176, norm 256, LimbFus 4,323,
// rep_logit 66,048, head 1,539.
BOOST_AUTO_TEST_CASE(ablation_variants) {
  // Baseline: attention + GCN (728,922 per block incl. a 2-way fusion 2*256+2 = 514) x 26, plus
  // joints_embed 512, pos_embed 2,176, norm 256, rep_logit 66,048, head 1,539.
  BOOST_TEST(build("variant: BASELINE")->parameter_count() == 728922 * 26 + 70531);
  // w/o bone: no bone_embed (512) and no bone_pos_embed (2,176).
  BOOST_TEST(build("variant: WITHOUT_BONE")->parameter_count() == 29365668 - 512 - 2176);
  // w/o limb: no limb_embed, limb_pos_embed and LimbFus (4,323).
  BOOST_TEST(build("variant: WITHOUT_LIMB")->parameter_count() == 29365668 - 512 - 2176 - 4323);
  // softmax: each anatomy mixer is a 2-way fusion Linear(256 -> 2) (514) instead of the
  // cross-attention (65,664), twice per block.
  BOOST_TEST(build("variant: SOFTMAX_FUSION")->parameter_count() == 29365668 - 26 * 2 * (65664 - 514));
  // Averaging instead of adaptive fusion drops the 26 fusion layers.
  BOOST_TEST(build("use_adaptive_fusion: false")->parameter_count() == 29365668 - 26 * 1155);
  // Without layer scale: 6 modules x 2 x 128 fewer per block.
  BOOST_TEST(build("use_layer_scale: false")->parameter_count() == 29365668 - 26 * 6 * 256);
}

BOOST_AUTO_TEST_SUITE_END()
