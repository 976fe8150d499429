#define BOOST_TEST_MODULE models
#include <google/protobuf/util/message_differencer.h>

#include <boost/test/unit_test.hpp>

#include "fixture_data.h"
#include "models/model_config.h"

using namespace kasf;
using namespace kasf::models;
using google::protobuf::util::MessageDifferencer;

namespace {

const std::string kConfigs = "../../configs/";

// The message of the ConfigError that parsing `text` throws ("" if none).
std::string parse_error(const std::string& text) {
  try {
    parse_model_config(text, "test.prototxt");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

void check_error_names(const std::string& text, const std::string& field) {
  const std::string message = parse_error(text);
  BOOST_TEST_CONTEXT(text) {
    BOOST_TEST(message.find("test.prototxt") != std::string::npos, message);
    BOOST_TEST(message.find(field) != std::string::npos, message);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(model_config)

BOOST_AUTO_TEST_CASE(official_definitions_hold_the_official_values) {
  const ModelConfig sportspose = read_model_config(kConfigs + "kasportsformer_sportspose.prototxt");
  BOOST_TEST(sportspose.n_layers() == 26);
  BOOST_TEST(sportspose.dim_feat() == 128);
  BOOST_TEST(sportspose.dim_rep() == 512);
  BOOST_TEST(sportspose.num_heads() == 8);
  BOOST_TEST(sportspose.neighbour_num() == 4);
  BOOST_TEST(sportspose.n_frames() == 27);
  BOOST_TEST(sportspose.layer_scale_init_value() == 1e-5);
  BOOST_TEST(!sportspose.has_qkv_scale());
  BOOST_TEST(sportspose.variant() == KASPORTSFORMER);
  // The WorldPose model section is identical; the schema defaults are the official values too.
  BOOST_TEST(MessageDifferencer::Equivalent(sportspose,
                                            read_model_config(kConfigs + "kasportsformer_worldpose.prototxt")));
  BOOST_TEST(MessageDifferencer::Equivalent(sportspose, ModelConfig()));
}

BOOST_AUTO_TEST_CASE(small_definition_matches_the_fixture_attributes) {
  test::FixtureFile fixture("fixture_small");
  const ModelConfig from_file = config_from_attributes(fixture.weights().attributes, fixture.path());
  BOOST_TEST(from_file.dim_feat() == 32);
  BOOST_TEST(from_file.n_frames() == 9);
  BOOST_TEST(!from_file.has_qkv_scale());  // stored as the string "None"
  BOOST_TEST(MessageDifferencer::Equivalent(from_file, read_model_config(kConfigs + "kasportsformer_small.prototxt")));
}

BOOST_AUTO_TEST_CASE(ablation_definitions_select_their_variant) {
  BOOST_TEST(read_model_config(kConfigs + "ablation_baseline.prototxt").variant() == BASELINE);
  BOOST_TEST(read_model_config(kConfigs + "ablation_without_bone.prototxt").variant() == WITHOUT_BONE);
  BOOST_TEST(read_model_config(kConfigs + "ablation_without_limb.prototxt").variant() == WITHOUT_LIMB);
  BOOST_TEST(read_model_config(kConfigs + "ablation_softmax_fusion.prototxt").variant() == SOFTMAX_FUSION);
}

BOOST_AUTO_TEST_CASE(syntax_errors_name_the_field_and_file) {
  check_error_names("n_layer: 3", "n_layer");         // unknown field
  check_error_names("variant: NOPE", "variant");      // unknown enum value
  check_error_names("n_frames: \"27\"", "n_frames");  // wrong type
}

BOOST_AUTO_TEST_CASE(invalid_values_name_the_field_and_file) {
  check_error_names("dim_feat: 100", "dim_feat");  // not divisible by 8 heads
  check_error_names("num_heads: 0", "num_heads");
  check_error_names("n_frames: 0", "n_frames");
  check_error_names("neighbour_num: 28", "neighbour_num");  // > n_frames = 27
  check_error_names("neighbour_num: 0", "neighbour_num");
  check_error_names("n_layers: 0", "n_layers");
  check_error_names("num_joints: 16", "num_joints");
  check_error_names("act_layer: \"swish\"", "act_layer");
  check_error_names("drop: 1.0", "drop");
  check_error_names("attn_drop: -0.1", "attn_drop");
  check_error_names("qkv_scale: 0", "qkv_scale");
  check_error_names("hierarchical: true", "hierarchical");
  check_error_names("use_temporal_similarity: false", "use_temporal_similarity");
  check_error_names("dim_in: 2", "dim_in");  // BoneExt and LimbFus read x, y and confidence
  check_error_names("model_name: \"NoSuchModel\"", "model_name");
  BOOST_TEST(parse_error("variant: BASELINE dim_in: 2").empty());  // the baseline has no anatomy streams
}

BOOST_AUTO_TEST_CASE(missing_file_is_named) {
  BOOST_CHECK_EXCEPTION(read_model_config("no/such.prototxt"), ConfigError, [](const ConfigError& e) {
    return std::string(e.what()).find("no/such.prototxt") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(attributes_round_trip) {
  ModelConfig config = parse_model_config("variant: WITHOUT_LIMB n_layers: 3 qkv_scale: 0.5 drop: 0.25", "t");
  const auto attributes = config_to_attributes(config);
  BOOST_TEST(std::get<std::string>(attributes.at("variant")) == "WITHOUT_LIMB");
  BOOST_TEST(std::get<int64_t>(attributes.at("n_layers")) == 3);
  BOOST_TEST(std::get<bool>(attributes.at("use_layer_scale")) == true);
  BOOST_TEST(MessageDifferencer::Equivalent(config_from_attributes(attributes, "t"), config));
  BOOST_TEST(attributes.count("qkv_scale") == 1u);
  BOOST_TEST(config_to_attributes(ModelConfig()).count("qkv_scale") == 0u);  // unset stays unset
}

BOOST_AUTO_TEST_CASE(attribute_errors_name_the_field_and_file) {
  auto message_for = [](const std::map<std::string, io::AttrValue>& attributes) -> std::string {
    try {
      config_from_attributes(attributes, "w.h5");
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  };
  for (const auto& [attributes, field] : std::vector<std::pair<std::map<std::string, io::AttrValue>, std::string>>{
           {{{"n_layers", std::string("two")}}, "n_layers"},
           {{{"use_layer_scale", int64_t{1}}}, "use_layer_scale"},
           {{{"variant", std::string("TINY")}}, "variant"},
           {{{"dim_feat", int64_t{30}}, {"num_heads", int64_t{4}}}, "dim_feat"}}) {
    const std::string message = message_for(attributes);
    BOOST_TEST(message.find("w.h5") != std::string::npos, message);
    BOOST_TEST(message.find(field) != std::string::npos, message);
  }
}

BOOST_AUTO_TEST_SUITE_END()
