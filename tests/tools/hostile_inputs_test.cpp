// Issue 15, re-run as a whole: every tool on every crafted hostile input exits with status 1 and a
// short message that names the file and the problem, with no raw bytes from the input, and writes
// no output. The inputs come from scripts/make_hostile_inputs.py (tests/data/hostile/) or are made
// here when they are large or corruptions of files kasf writes.
#define BOOST_TEST_MODULE hostile_inputs
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include "datasets/dataset_file.h"
#include "eval_test_data.h"
#include "framework/io/weight_file.h"
#include "tests/support/corrupt_hdf5.h"
#include "tests/support/scratch_dir.h"

namespace fs = std::filesystem;
using kasf::test::ScratchDir;

namespace {

// Tests run in tests/tools/.
const std::string kWeights = "../data/fixtures/fixture_small.h5";
const std::string kKeypoints = "../data/keypoints/cmu_running_coco.json";
const std::string kCheckpoint = "../data/pickles/nested_checkpoint.pth";
std::string hostile(const std::string& name) { return "../data/hostile/" + name; }

struct Run {
  int status;
  std::string output;  // stdout and stderr
};

Run run(const ScratchDir& dir, const char* tool, const std::string& arguments) {
  const std::string log = dir.file("log");
  const int status = std::system((std::string(tool) + " " + arguments + " > " + log + " 2>&1").c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, kasf::test::read_file(log)};
}

// Status 1; the output is short, holds only printable ASCII lines and contains every one of `parts`.
void expect_refused(const Run& run, std::initializer_list<std::string> parts) {
  BOOST_TEST(run.status == 1, run.output);
  BOOST_TEST(run.output.size() < 2048u, run.output.substr(0, 300));
  for (const char c : run.output)
    if (c != '\n' && (c < 0x20 || c > 0x7e)) {
      BOOST_ERROR("raw byte " << static_cast<int>(static_cast<unsigned char>(c)) << " in: " << run.output.substr(0, 300));
      break;
    }
  for (const auto& part : parts)
    BOOST_TEST(run.output.find(part) != std::string::npos, "'" << part << "' not in: " << run.output.substr(0, 300));
}

std::string infer_arguments(const std::string& weights, const std::string& input, const std::string& output,
                            const std::string& extra = "") {
  return "--weights " + weights + " --input " + input + " --format coco-json --width 1000 --height 1000 --quiet " +
         "--output " + output + " " + extra;
}

// The eval tests' tiny data set, optionally changed before it is written (as a writer other than
// kasf_convert could have written it).
std::string write_data(const ScratchDir& dir, const std::string& name,
                       const std::function<void(kasf::data::SplitData&)>& change = {}) {
  kasf::data::DatasetData data;
  data.splits["test"] = kasf::test::make_test_split();
  if (change) change(data.splits["test"]);
  kasf::data::write_dataset_file(dir.file(name), data);
  return dir.file(name);
}

// A kasf_train experiment on `dataset`, running in dir/run.
std::string write_experiment(const ScratchDir& dir, const std::string& dataset) {
  return dir.write("tiny.prototxt",
                   "model { n_layers: 1 dim_feat: 8 num_heads: 2 dim_rep: 8 n_frames: 9 neighbour_num: 2 }\n"
                   "data { dataset_file: \"" + dataset + "\" clip_length: 9 batch_size: 8 }\n"
                   "schedule { epochs: 1 warmup_epochs: 1 }\n"
                   "checkpoint { directory: \"" + dir.file("run") + "\" }\n");
}

}  // namespace

BOOST_AUTO_TEST_CASE(corrupt_vlen_string_in_a_weight_file) {
  ScratchDir dir;
  const std::string bad = dir.file("weights.h5");
  fs::copy_file(kWeights, bad);
  kasf::test::corrupt_heap_string(bad, kasf::io::read_weight_file(kWeights).weights.front().first, uint64_t{1} << 40);
  const std::string data = write_data(dir, "data.h5");
  expect_refused(run(dir, KASF_INFER, infer_arguments(bad, kKeypoints, dir.file("out.json"))),
                 {bad, "state_dict_keys", "corrupt"});
  expect_refused(run(dir, KASF_EVAL, "--quiet --data " + data + " --weights " + bad), {bad, "state_dict_keys"});
  expect_refused(run(dir, KASF_CONVERT, "--checkpoint " + kCheckpoint + " --like " + bad + " --output " + dir.file("w.h5")),
                 {bad, "state_dict_keys"});
  BOOST_TEST(!fs::exists(dir.file("out.json")));
  BOOST_TEST(!fs::exists(dir.file("w.h5")));
}

BOOST_AUTO_TEST_CASE(corrupt_vlen_string_in_a_dataset_file) {
  ScratchDir dir;
  const std::string bad = write_data(dir, "data.h5");
  kasf::test::corrupt_heap_string(bad, "kasf-dataset", 5000);
  expect_refused(run(dir, KASF_EVAL, "--quiet --data " + bad + " --weights " + kWeights), {bad, "@format", "corrupt"});
  expect_refused(run(dir, KASF_TRAIN, "--config " + write_experiment(dir, bad)), {bad, "@format"});
}

BOOST_AUTO_TEST_CASE(corrupt_vlen_string_in_a_predictions_file) {
  ScratchDir dir;
  const std::string data = write_data(dir, "data.h5"), predictions = dir.file("p.h5");
  BOOST_TEST_REQUIRE(
      run(dir, KASF_EVAL, "--quiet --data " + data + " --weights " + kWeights + " --write-predictions " + predictions)
          .status == 0);
  kasf::test::corrupt_heap_string(predictions, "kasf-predictions", 3);
  expect_refused(run(dir, KASF_EVAL, "--quiet --data " + data + " --predictions " + predictions), {predictions, "corrupt"});
}

BOOST_AUTO_TEST_CASE(cyclic_local_heap_free_list) {
  ScratchDir dir;
  const std::string bad = write_data(dir, "data.h5");
  kasf::test::corrupt_local_heap_free_list(bad);
  expect_refused(run(dir, KASF_EVAL, "--quiet --data " + bad + " --weights " + kWeights), {bad, "local heap"});
}

BOOST_AUTO_TEST_CASE(fuzzer_findings) {
  // Inputs fuzz/hdf5_fuzzer.cpp found (docs/fuzzing.md); the first made kasf_eval crash with SIGSEGV
  // inside H5Aiterate2, the others allocated 8 GB or looped in libhdf5.
  ScratchDir dir;
  const std::string data = write_data(dir, "data.h5");
  for (const std::string name : {"attribute-decoding-crash", "attribute-decoding-crash-2", "dataspace-8gb",
                                 "local-heap-cycle"}) {
    BOOST_TEST_CONTEXT(name) {
      const std::string input = "../../fuzz/hdf5_seeds/regression-" + name + ".h5";
      expect_refused(run(dir, KASF_EVAL, "--quiet --data " + data + " --weights " + input), {input});
    }
  }
}

BOOST_AUTO_TEST_CASE(numeric_options_out_of_range_or_not_finite) {
  ScratchDir dir;
  const std::string out = dir.file("out.json"), data = write_data(dir, "data.h5");
  for (const std::string option : {"--width 1e-30", "--width inf", "--width 1e30", "--height nan", "--fps -1",
                                   "--focal 0 --distance 1000", "--subject-height inf", "--batch-size 0"}) {
    BOOST_TEST_CONTEXT(option) {
      const std::string name = option.substr(0, option.find(' '));
      const std::string arguments = "--weights " + kWeights + " --input " + kKeypoints + " --format coco-json --quiet " +
                                    "--output " + out + " " + option + (name == "--width" ? "" : " --width 1000") +
                                    (name == "--height" ? "" : " --height 1000");
      expect_refused(run(dir, KASF_INFER, arguments), {name, "finite number"});
      BOOST_TEST(!fs::exists(out));
    }
  }
  expect_refused(run(dir, KASF_EVAL, "--data " + data + " --weights " + kWeights + " --kinematics --fps inf"),
                 {"--fps", "finite number"});
  expect_refused(run(dir, KASF_EVAL, "--data " + data + " --weights " + kWeights + " --threads -1"), {"--threads"});
  expect_refused(run(dir, KASF_TRAIN, "--config " + write_experiment(dir, data) + " --epochs 0"), {"--epochs"});
  expect_refused(run(dir, KASF_CONVERT, "--checkpoint " + kCheckpoint + " --attr x=nan --output " + dir.file("w.h5")),
                 {"--attr x", "finite number"});
  BOOST_TEST(!fs::exists(dir.file("w.h5")));
}

BOOST_AUTO_TEST_CASE(coco_json_with_a_10_mib_number) {
  ScratchDir dir;
  const std::string input = dir.write("huge.json", "[[" + std::string(10 << 20, '7') + "]]");
  expect_refused(run(dir, KASF_INFER, infer_arguments(kWeights, input, dir.file("out.json"))), {input});
  BOOST_TEST(!fs::exists(dir.file("out.json")));
}

BOOST_AUTO_TEST_CASE(pickle_global_that_is_not_utf8) {
  ScratchDir dir;
  const std::string input = hostile("global_not_utf8.pkl");
  expect_refused(run(dir, KASF_CONVERT, "--dataset " + input + " --output " + dir.file("d.h5")),
                 {input, "global 'os\\xff\\x1b[2J.sys\\xfe\\x07tem'", "allow-list"});
  BOOST_TEST(!fs::exists(dir.file("d.h5")));
}

BOOST_AUTO_TEST_CASE(non_finite_checkpoint_weights) {
  ScratchDir dir;
  const std::string input = hostile("nan_weight.pth"), kept = dir.file("kept.h5");
  expect_refused(run(dir, KASF_CONVERT, "--checkpoint " + input + " --output " + dir.file("w.h5")),
                 {input, "tensor 'linear.weight'", "NaN at element 0"});
  BOOST_TEST(!fs::exists(dir.file("w.h5")));
  // Kept on request; kasf's readers still refuse the file, naming the tensor.
  BOOST_TEST_REQUIRE(run(dir, KASF_CONVERT, "--checkpoint " + input + " --keep-non-finite --output " + kept).status == 0);
  expect_refused(run(dir, KASF_CONVERT, "--checkpoint " + kCheckpoint + " --like " + kept + " --output " + dir.file("w.h5")),
                 {kept, "linear.weight", "NaN at element 0"});
}

BOOST_AUTO_TEST_CASE(nan_in_a_dataset_file_written_elsewhere) {
  ScratchDir dir;
  const std::string bad = write_data(dir, "data.h5", [](kasf::data::SplitData& split) {
    split.arrays.at("joint_2d").values.at(17 * 2 * 5 + 3) = std::numeric_limits<float>::quiet_NaN();  // (N, 17, 2)
  });
  expect_refused(run(dir, KASF_EVAL, "--quiet --data " + bad + " --weights " + kWeights),
                 {bad, "'joint_2d'", "NaN at frame 5"});
}

BOOST_AUTO_TEST_CASE(zero_depth_factors) {
  ScratchDir dir;
  const std::string bad = write_data(dir, "data.h5", [](kasf::data::SplitData& split) {
    auto& factors = split.arrays.at("2.5d_factor").values;
    std::fill(factors.begin(), factors.end(), 0.0f);
  });
  expect_refused(run(dir, KASF_EVAL, "--quiet --data " + bad + " --weights " + kWeights),
                 {bad, "'2.5d_factor'", "at frame 0", "must be positive"});
  const std::string input = hostile("zero_factor.pkl");
  expect_refused(run(dir, KASF_CONVERT, "--dataset " + input + " --output " + dir.file("d.h5")),
                 {input, "'2.5d_factor'", "must be positive"});
  BOOST_TEST(!fs::exists(dir.file("d.h5")));
}

BOOST_AUTO_TEST_CASE(pickle_with_no_splits) {
  ScratchDir dir;
  const std::string input = hostile("empty_dict.pkl");
  expect_refused(run(dir, KASF_CONVERT, "--dataset " + input + " --output " + dir.file("d.h5")), {input, "no splits"});
  BOOST_TEST(!fs::exists(dir.file("d.h5")));
}

BOOST_AUTO_TEST_CASE(split_of_zero_frames_converts_then_evaluation_says_so) {
  ScratchDir dir;
  const std::string converted = dir.file("d.h5");
  const Run conversion = run(dir, KASF_CONVERT, "--dataset " + hostile("empty_test_split.pkl") + " --output " + converted);
  BOOST_TEST_REQUIRE(conversion.status == 0, conversion.output);
  BOOST_TEST(conversion.output.find("test 0 frames") != std::string::npos, conversion.output);
  const kasf::data::DatasetData data = kasf::data::read_dataset_file(converted);
  BOOST_TEST(data.splits.at("test").num_frames == 0);
  BOOST_TEST((data.splits.at("test").arrays.at("joint_2d").shape == kasf::Shape{0, 17, 2}));
  expect_refused(run(dir, KASF_EVAL, "--quiet --data " + converted + " --weights " + kWeights), {converted, "no frames"});
}

BOOST_AUTO_TEST_CASE(zip_entry_sizes_that_differ_from_what_it_inflates_to) {
  ScratchDir dir;
  const std::string input = hostile("zip_size_mismatch.pth");
  expect_refused(run(dir, KASF_CONVERT, "--checkpoint " + input + " --output " + dir.file("w.h5")),
                 {input, "archive/data.pkl", "does not inflate to its declared 886 bytes"});
  const std::string longer = hostile("zip_inflates_past_declared_size.pth");
  expect_refused(run(dir, KASF_CONVERT, "--checkpoint " + longer + " --output " + dir.file("w.h5")),
                 {longer, "archive/data.pkl", "inflates to more than its declared 884 bytes"});
  BOOST_TEST(!fs::exists(dir.file("w.h5")));
}

BOOST_AUTO_TEST_CASE(storage_shorter_than_its_pickle_declares) {
  ScratchDir dir;
  const std::string input = hostile("short_storage.pth");
  expect_refused(run(dir, KASF_CONVERT, "--checkpoint " + input + " --output " + dir.file("w.h5")),
                 {input, "storage '0' holds 88 bytes, but the pickle declares 96"});
}

BOOST_AUTO_TEST_CASE(legacy_torch_save_file) {
  ScratchDir dir;
  const std::string input = hostile("legacy_torch_save.pth");
  expect_refused(run(dir, KASF_CONVERT, "--checkpoint " + input + " --output " + dir.file("w.h5")),
                 {input, "before 1.6", "_use_new_zipfile_serialization=True"});
}
