// The ablation variants run forward and backward at a small size, every parameter that takes part
// receives a gradient, and each variant has exactly the streams docs/model.md describes.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/ops.h"
#include "layers/init.h"
#include "models/kasportsformer.h"
#include "models/model_config.h"

using namespace kasf;
using namespace kasf::models;

namespace {

const std::string kSmall = "n_layers: 2 dim_feat: 16 dim_rep: 32 num_heads: 2 n_frames: 5 neighbour_num: 2 ";

bool has_key(const Module& model, const std::string& key) {
  for (const auto& entry : model.state_dict())
    if (entry.first == key) return true;
  return false;
}

// Forward + backward in training mode; returns the parameters without a gradient.
std::vector<std::string> run_and_list_unreached(KASportsFormer& model) {
  Generator data(5);
  Tensor input = uniform_tensor({2, 5, 17, 3}, 1.0f, data);
  model.train();
  Tensor output = model.forward(input);
  BOOST_TEST(output.shape() == (Shape{2, 5, 17, 3}));
  for (float v : output.to_vector()) BOOST_REQUIRE_MESSAGE(std::isfinite(v), "non-finite output");
  sum(mul(output, output)).backward();
  std::vector<std::string> unreached;
  for (const auto& [name, parameter] : model.named_parameters())
    if (!parameter.grad().defined()) unreached.push_back(name);
  return unreached;
}

void check_variant(const std::string& variant, const std::vector<std::string>& present,
                   const std::vector<std::string>& absent, size_t unused_norms_per_block) {
  Generator init(3);
  KASportsFormer model(parse_model_config(kSmall + "variant: " + variant, "test"), init);
  BOOST_TEST_CONTEXT(variant) {
    for (const auto& key : present) BOOST_TEST(has_key(model, key), key);
    for (const auto& key : absent) BOOST_TEST(!has_key(model, key), key);
    const auto unreached = run_and_list_unreached(model);
    BOOST_TEST(unreached.size() == 2 * 2 * unused_norms_per_block);  // weight+bias, 2 blocks
    for (const auto& name : unreached) BOOST_TEST(name.find(".norm1_limb.") != std::string::npos, name);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(variants)

BOOST_AUTO_TEST_CASE(official_model) {
  check_variant("KASPORTSFORMER",
                {"bone_embed.weight", "limb_embed.weight", "bone_refusion.mlp_layers.16.mlp_len.fc2.bias",
                 "layers_with_bone.1.bone_temporal.mixer.qkv_kv.weight", "layers_with_bone.1.fusion_three_channel.bias"},
                {"layers_with_bone.0.fusion.weight"}, 4);
}

BOOST_AUTO_TEST_CASE(baseline) {
  check_variant("BASELINE", {"joints_embed.weight", "pos_embed", "layers_with_bone.1.fusion.weight"},
                {"bone_embed.weight", "limb_embed.weight", "bone_pos_embed", "limb_pos_embed",
                 "bone_refusion.mlp_layers.0.mlp_len.fc1.weight", "layers_with_bone.0.bone_spatial.norm1.weight",
                 "layers_with_bone.0.fusion_three_channel.weight"},
                4);
}

BOOST_AUTO_TEST_CASE(without_bone) {
  check_variant("WITHOUT_BONE", {"limb_embed.weight", "layers_with_bone.0.bone_spatial.mixer.qkv_q.weight"},
                {"bone_embed.weight", "bone_pos_embed"}, 4);
}

BOOST_AUTO_TEST_CASE(without_limb) {
  check_variant("WITHOUT_LIMB", {"bone_embed.weight", "layers_with_bone.0.bone_spatial.mixer.qkv_kv.weight"},
                {"limb_embed.weight", "limb_pos_embed", "bone_refusion.mlp_layers.0.mlp_len.fc1.weight"}, 4);
}

BOOST_AUTO_TEST_CASE(softmax_fusion) {
  check_variant("SOFTMAX_FUSION", {"layers_with_bone.0.bone_spatial.mixer.fusion.weight", "limb_embed.weight"},
                {"layers_with_bone.0.bone_spatial.mixer.qkv_q.weight"}, 4);
}

BOOST_AUTO_TEST_SUITE_END()
