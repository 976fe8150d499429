// Bad keypoint input makes kasf_infer exit non-zero with an error naming the problem, and leaves no
// output file behind.
#include <boost/test/unit_test.hpp>

#include "tests/support/cuda_presence.h"
#include "tests/support/scratch_dir.h"
#include "infer_tool.h"

namespace kasf::inference::test {
namespace {

using kasf::test::ScratchDir;

// Runs kasf_infer on `input` (format `format`) and checks the exit status, that the message
// contains `expected`, and that the output does not exist.
void expect_failure(const ScratchDir& dir, const std::string& input, const std::string& format, int status,
                    const std::string& expected) {
  const std::string output = dir.file("poses.json");
  const std::string arguments = std::string("--weights ") + kWeights + " --input " + input + " --format " + format +
                                " --width 1000 --height 1000 --quiet --output " + output + " --render " + dir.file("frames");
  BOOST_TEST(run_infer(arguments, dir.file("log")) == status, input << " as " << format);
  const std::string log = kasf::test::read_file(dir.file("log"));
  BOOST_TEST(log.find(expected) != std::string::npos, "'" << expected << "' not in: " << log);
  BOOST_TEST(!std::filesystem::exists(output));
  BOOST_TEST(!std::filesystem::exists(dir.file("frames")));
}

BOOST_AUTO_TEST_SUITE(bad_input)

BOOST_AUTO_TEST_CASE(wrong_joint_count) {
  ScratchDir dir;
  std::string sixteen = "[[";
  for (int i = 0; i < 48; ++i) sixteen += (i ? "," : "") + std::to_string(100 + i);
  sixteen += "]]";
  expect_failure(dir, dir.write("sixteen.json", sixteen), "coco-json", 1, "sixteen.json");
  std::string csv_row;
  for (int i = 0; i < 32; ++i) csv_row += (i ? "," : "") + std::to_string(100 + i);
  expect_failure(dir, dir.write("sixteen.csv", csv_row + "\n" + csv_row + "\n"), "h36m-csv", 1, "32");
}

// The poses and the viewer page are written together or not at all.
BOOST_AUTO_TEST_CASE(a_viewer_that_cannot_be_written_leaves_no_poses) {
  ScratchDir dir;
  const std::string output = dir.file("poses.json");
  BOOST_TEST(run_infer(sample_arguments(output, "--html " + dir.file("no_such_folder/viewer.html")), dir.file("log")) == 1);
  const std::string log = kasf::test::read_file(dir.file("log"));
  BOOST_TEST(log.find("no_such_folder/viewer.html") != std::string::npos, log);
  BOOST_TEST(!std::filesystem::exists(output));
  BOOST_TEST(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);  // only the log
}

BOOST_AUTO_TEST_CASE(empty_files) {
  ScratchDir dir;
  expect_failure(dir, dir.write("empty.json", ""), "coco-json", 1, "empty.json");
  expect_failure(dir, dir.write("no_frames.json", "[]"), "coco-json", 1, "no_frames.json");
  expect_failure(dir, dir.write("empty.csv", ""), "h36m-csv", 1, "empty.csv");
}

BOOST_AUTO_TEST_CASE(unknown_format_and_missing_file) {
  ScratchDir dir;
  expect_failure(dir, kSample, "openpose-json", 1, "unknown keypoint format 'openpose-json'");
  expect_failure(dir, dir.file("absent.json"), "coco-json", 1, "absent.json");
}

BOOST_AUTO_TEST_CASE(inconsistent_arguments_are_usage_errors) {
  ScratchDir dir;
  const std::string output = dir.file("poses.json");
  BOOST_TEST(run_infer(sample_arguments(output, "--focal 1000"), dir.file("log")) == 1);
  BOOST_TEST(kasf::test::read_file(dir.file("log")).find("both the focal length and the subject distance") != std::string::npos);
  BOOST_TEST(run_infer(sample_arguments(output, "--batch-size 0"), dir.file("log")) == 1);
  BOOST_TEST(run_infer(sample_arguments(output, "--frame-step 0"), dir.file("log")) == 1);
  BOOST_TEST(kasf::test::read_file(dir.file("log")).find("--frame-step 0") != std::string::npos);
  BOOST_TEST(run_infer(sample_arguments(output, "--device tpu"), dir.file("log")) == 2);
  BOOST_TEST(run_infer(std::string("--weights ") + kWeights + " --input " + kSample + " --output " + output, dir.file("log")) == 2);
  BOOST_TEST(kasf::test::read_file(dir.file("log")).find("--input needs --format") != std::string::npos);
  BOOST_TEST(!std::filesystem::exists(output));
}

BOOST_AUTO_TEST_CASE(device_cuda_runs_on_a_gpu_or_says_there_is_none) {
  ScratchDir dir;
  const std::string output = dir.file("poses.json");
  const int status = run_infer(sample_arguments(output, "--device cuda"), dir.file("log"));
  if (const std::optional<std::string> reason = kasf::test::cuda_unavailable_reason()) {
    BOOST_TEST(status == 1);
    const std::string log = kasf::test::read_file(dir.file("log"));
    BOOST_TEST(log.find("kasf_infer: --device cuda: " + *reason) != std::string::npos, log);
    BOOST_TEST(!std::filesystem::exists(output));
  } else {
    BOOST_TEST(status == 0);
    BOOST_TEST(std::filesystem::exists(output));
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::inference::test
