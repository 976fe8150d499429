#define BOOST_TEST_MODULE kasf_convert
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "datasets/dataset_file.h"
#include "framework/io/weight_file.h"
#include "reference_data.h"

using namespace kasf;
using kasf::test::ScratchDir;
using kasf::test::test_data;

namespace {

struct Run {
  int exit_code;
  std::string output;  // stdout and stderr
};

// Runs kasf_convert with `args` (already shell-quoted where needed).
Run convert(const ScratchDir& dir, const std::string& args) {
  std::string log = dir.file("log.txt");
  int status = std::system((std::string(KASF_CONVERT) + " " + args + " > " + log + " 2>&1").c_str());
  Run run{WIFEXITED(status) ? WEXITSTATUS(status) : -1, kasf::test::read_file(log)};
  std::filesystem::remove(log);
  return run;
}

std::string pickle(const std::string& name) { return test_data("pickles/" + name); }

void expect_failure(const std::string& args, const std::vector<std::string>& message_parts) {
  ScratchDir dir;
  Run run = convert(dir, args + " --output " + dir.file("out.h5"));
  BOOST_TEST_CONTEXT(args << " -> " << run.output) {
    BOOST_TEST(run.exit_code == 1);
    for (const auto& part : message_parts) BOOST_TEST(run.output.find(part) != std::string::npos, part);
    BOOST_TEST(dir.entries().empty());  // no output, no temporary file
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(checkpoint_converts_to_the_fixture_weights) {
  for (std::string fixture : {"fixture_small", "fixture_small_perturbed"}) {
    ScratchDir dir;
    std::string reference = test_data("fixtures/" + fixture + ".h5");
    Run run = convert(dir, "--checkpoint " + test_data("fixtures/" + fixture + ".pth") + " --like " + reference +
                               " --output " + dir.file("w.h5"));
    BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.output);
    io::WeightFile converted = io::read_weight_file(dir.file("w.h5"));
    io::WeightFile expected = io::read_weight_file(reference);
    BOOST_REQUIRE_EQUAL(converted.weights.size(), expected.weights.size());
    for (size_t i = 0; i < expected.weights.size(); ++i) {
      const auto& [key, array] = converted.weights[i];
      BOOST_TEST(key == expected.weights[i].first);
      BOOST_TEST(array.shape == expected.weights[i].second.shape);
      BOOST_TEST(std::memcmp(array.values.data(), expected.weights[i].second.values.data(), array.values.size() * 4) == 0);
    }
    BOOST_TEST((converted.attributes == expected.attributes));
  }
}

BOOST_AUTO_TEST_CASE(checkpoint_attributes_from_the_command_line) {
  ScratchDir dir;
  Run run = convert(dir, "--checkpoint " + pickle("nested_checkpoint.pth") +
                             " --attr dim_feat=32 --attr drop=0.5 --attr act_layer=gelu --attr qkv_bias=false"
                             " --output " + dir.file("w.h5"));
  BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.output);
  io::WeightFile w = io::read_weight_file(dir.file("w.h5"));
  BOOST_TEST(std::get<int64_t>(w.attributes.at("dim_feat")) == 32);
  BOOST_TEST(std::get<double>(w.attributes.at("drop")) == 0.5);
  BOOST_TEST(std::get<std::string>(w.attributes.at("act_layer")) == "gelu");
  BOOST_TEST(std::get<bool>(w.attributes.at("qkv_bias")) == false);
  BOOST_TEST(w.weights.size() == 7u);
}

BOOST_AUTO_TEST_CASE(checkpoint_attributes_from_a_model_definition) {
  // The fixture's configuration as a definition: the converted file then describes its own model,
  // with the same attributes the official configuration gives.
  ScratchDir dir;
  const std::string definition = dir.write("small.prototxt",
                                           "n_layers: 2 dim_feat: 32 dim_rep: 64 num_heads: 4 n_frames: 9\n");
  Run run = convert(dir, "--checkpoint " + test_data("fixtures/fixture_small.pth") + " --config " + definition +
                             " --output " + dir.file("w.h5"));
  BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.output);
  io::WeightFile w = io::read_weight_file(dir.file("w.h5"));
  io::WeightFile fixture = io::read_weight_file(test_data("fixtures/fixture_small.h5"));
  for (const char* key : {"n_layers", "dim_feat", "dim_rep", "num_heads", "n_frames", "neighbour_num"})
    BOOST_TEST((w.attributes.at(key) == fixture.attributes.at(key)), key);

  // A definition the weights do not fit is refused, naming the mismatch, and writes nothing.
  const std::string wider = dir.write("wide.prototxt", "n_layers: 2 dim_feat: 64 dim_rep: 64 num_heads: 4 n_frames: 9\n");
  run = convert(dir, "--checkpoint " + test_data("fixtures/fixture_small.pth") + " --config " + wider + " --output " +
                         dir.file("bad.h5"));
  BOOST_TEST(run.exit_code != 0);
  BOOST_TEST(run.output.find("misshaped") != std::string::npos, run.output);
  BOOST_TEST(!std::filesystem::exists(dir.file("bad.h5")));
}

// <peer>_small.pth: torch.save of the official model's state dict (scripts/make_<peer>_fixtures.py).
BOOST_AUTO_TEST_CASE(official_peer_checkpoints_convert_with_their_definitions) {
  struct Peer {
    const char* fixture;
    const char* model_name;
    const char* first_key;  // the key KASportsFormer's definition cannot place
  };
  for (const Peer& peer : {Peer{"mixste_small", "MixSTE", "Spatial_patch_to_embedding"},
                           Peer{"motionagformer_small", "MotionAGFormer", "layers.0.att_spatial"},
                           Peer{"ktpformer_small", "KTPFormer", "kpattention"},
                           Peer{"stcformer_small", "STCFormer", "pose_emb"},
                           Peer{"motionbert_small", "DSTformer", "blocks_st.0.attn_s"}})
    BOOST_TEST_CONTEXT(peer.fixture) {
      ScratchDir dir;
      const std::string checkpoint = test_data("fixtures/" + std::string(peer.fixture) + ".pth");
      Run run = convert(dir, "--checkpoint " + checkpoint + " --config ../../configs/" + peer.fixture +
                                 ".prototxt --output " + dir.file("w.h5"));
      BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.output);
      io::WeightFile converted = io::read_weight_file(dir.file("w.h5"));
      io::WeightFile fixture = io::read_weight_file(test_data("fixtures/" + std::string(peer.fixture) + ".h5"));
      BOOST_REQUIRE_EQUAL(converted.weights.size(), fixture.weights.size());
      for (size_t i = 0; i < fixture.weights.size(); ++i) {
        BOOST_TEST(converted.weights[i].first == fixture.weights[i].first);
        BOOST_TEST(converted.weights[i].second.values == fixture.weights[i].second.values);
      }
      BOOST_TEST(std::get<std::string>(converted.attributes.at("model_name")) == peer.model_name);
      for (const char* key : {"n_frames", "dim_in", "dim_feat", "n_layers", "num_heads"})
        BOOST_TEST((converted.attributes.at(key) == fixture.attributes.at(key)), key);

      // KASportsFormer's definition does not fit these weights.
      run = convert(dir, "--checkpoint " + checkpoint +
                             " --config ../../configs/kasportsformer_small.prototxt --output " + dir.file("bad.h5"));
      BOOST_TEST(run.exit_code != 0);
      BOOST_TEST(run.output.find(peer.first_key) != std::string::npos, run.output);
      BOOST_TEST(!std::filesystem::exists(dir.file("bad.h5")));
    }
}

BOOST_AUTO_TEST_CASE(source_pickles_of_every_protocol_give_identical_files) {
  ScratchDir dir;
  std::vector<std::string> outputs;
  for (std::string protocol : {"2", "4", "5", "4"}) {  // 4 twice: converting again gives the same bytes
    std::string out = dir.file("d" + std::to_string(outputs.size()) + ".h5");
    Run run = convert(dir, "--dataset " + pickle("cmu_source_p" + protocol + ".pkl") + " --output " + out);
    BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.output);
    outputs.push_back(kasf::test::read_file(out));
  }
  for (const auto& bytes : outputs) BOOST_TEST((bytes == outputs[0]));
  data::DatasetData d = data::read_dataset_file(dir.file("d0.h5"));
  kasf::test::check_dataset_against_reference(d, pickle("cmu_source.reference"), true);
  BOOST_TEST(d.splits.at("train").num_frames == 240);
  BOOST_TEST(d.splits.at("test").num_frames == 120);
  BOOST_TEST(d.splits.at("train").clip_length == 0);
}

BOOST_AUTO_TEST_CASE(source_pickle_with_other_dtypes_and_no_confidence) {
  ScratchDir dir;
  Run run = convert(dir, "--dataset " + pickle("cmu_source_mixed_dtypes_p4.pkl") + " --output " + dir.file("d.h5"));
  BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.output);
  data::DatasetData d = data::read_dataset_file(dir.file("d.h5"));
  kasf::test::check_dataset_against_reference(d, pickle("cmu_source_mixed_dtypes.reference"), true);
  BOOST_TEST(!d.splits.at("test").arrays.count("confidence"));
}

BOOST_AUTO_TEST_CASE(athletepose3d_frame_lists_map_to_motionbert_keys) {
  ScratchDir dir;
  Run run = convert(dir, "--dataset train=" + pickle("gendb_train_p4.pkl") + " --dataset test=" +
                             pickle("gendb_test_p4.pkl") + " --output " + dir.file("d.h5"));
  BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.output);
  data::DatasetData d = data::read_dataset_file(dir.file("d.h5"));
  kasf::test::check_dataset_against_reference(d, pickle("gendb.reference"), false);
  BOOST_TEST(!d.splits.at("train").arrays.count("joint_3d_image"));  // renamed, not duplicated
  BOOST_TEST(d.splits.at("train").strings.count("subject"));           // other labels are kept
}

BOOST_AUTO_TEST_CASE(clip_folders_convert_to_clip_rows) {
  ScratchDir dir;
  Run run = convert(dir, "--dataset " + pickle("clips") + " --output " + dir.file("d.h5"));
  BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.output);
  data::DatasetData d = data::read_dataset_file(dir.file("d.h5"));
  kasf::test::check_dataset_against_reference(d, pickle("clips.reference"), true);
  BOOST_TEST(d.splits.at("train").num_frames == 3);
  BOOST_TEST(d.splits.at("train").clip_length == 27);
  BOOST_TEST(d.splits.at("test").num_frames == 2);
}

BOOST_AUTO_TEST_CASE(invalid_data_is_rejected_naming_key_and_shapes) {
  expect_failure("--dataset " + pickle("invalid_missing_joint_2d.pkl"), {"split 'train'", "missing array 'joint_2d'"});
  expect_failure("--dataset " + pickle("invalid_frame_count_mismatch.pkl"),
                 {"split 'test'", "'joint3d_image' has 119 frames (shape (119, 17, 3))", "has 120"});
  expect_failure("--dataset " + pickle("invalid_wrong_joint_count.pkl"),
                 {"train/joint_2d: expected shape (240, 17, >=2), got (240, 16, 2)"});
  expect_failure("--dataset " + pickle("invalid_nan.pkl"),
                 {"split 'test'", "'joints_2.5d_image' (shape (120, 17, 3)) holds NaN at frame 5"});
}

BOOST_AUTO_TEST_CASE(hostile_and_broken_inputs_leave_nothing) {
  const std::string marker = "kasf_pickle_executed.marker";
  std::filesystem::remove(marker);
  expect_failure("--dataset " + pickle("os_system_p2.pkl"), {"global 'posix.system' is not on the allow-list"});
  BOOST_TEST(!std::filesystem::exists(marker));
  expect_failure("--dataset " + pickle("truncated_half.pkl"), {"truncated"});
  expect_failure("--dataset " + pickle("no_such.pkl"), {"no_such.pkl"});
  expect_failure("--checkpoint " + pickle("kinds_p4.pkl"), {"kinds_p4.pkl", "no end-of-central-directory record"});
  expect_failure("--dataset " + pickle("kinds_p4.pkl"), {"kinds_p4.pkl"});
}
