// kasf_infer's output against passes computed here separately through the library: flip test-time
// augmentation is the mean of the plain pass and the flipped-back pass of the flipped input, and a
// frame step lifts each phase of the sequence as a sequence of its own.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "tests/support/scratch_dir.h"
#include "framework/io/hdf5.h"
#include "framework/io/weight_file.h"
#include "infer_tool.h"
#include "keypoints/keypoint_input.h"
#include "keypoints/windowing.h"
#include "models/inference.h"

namespace kasf::inference::test {
namespace {

using kasf::test::ScratchDir;

// Spec 5.2 written out: x negated, [1,2,3,14,15,16] <-> [4,5,6,11,12,13].
std::vector<float> mirrored(std::vector<float> poses) {
  const int partner[17] = {0, 4, 5, 6, 1, 2, 3, 7, 8, 9, 10, 14, 15, 16, 11, 12, 13};
  const std::vector<float> original = poses;
  for (size_t p = 0; p < poses.size(); p += 51)
    for (int j = 0; j < 17; ++j)
      for (int c = 0; c < 3; ++c) poses[p + j * 3 + c] = (c == 0 ? -1 : 1) * original[p + partner[j] * 3 + c];
  return poses;
}

// Every joint minus the pelvis of its frame (backwards, so the pelvis itself is zeroed last).
std::vector<float> minus_pelvis(std::vector<float> poses) {
  for (size_t p = 0; p < poses.size(); p += 51)
    for (int i = 50; i >= 0; --i) poses[p + i] -= poses[p + i % 3];
  return poses;
}

// Float32 agreement up to summation order (values near zero after the root is subtracted).
bool close(float a, float b) { return std::abs(a - b) <= 1e-5f + 1e-4f * std::abs(b); }

std::vector<float> tool_poses(const std::string& path) {
  io::h5::Handle file = io::h5::open_file(path);
  Shape shape;
  return io::h5::read_floats(file.id(), "poses", &shape);
}

// The fixture model on clips, unbatched.
keypoints::ClipPredictor model_pass(models::PoseLifter& model) {
  return [&model](const std::vector<float>& clips, int64_t count) {
    return models::predict(model, Tensor::from_vector({count, kClipLength, 17, 3}, clips)).to_vector();
  };
}

// The sample's model input (normalised, gaps filled as the tool fills them).
std::vector<float> sample_input() {
  const keypoints::KeypointInput sample = keypoints::read_keypoints(kSample, keypoints::KeypointFormat::coco_json);
  return keypoints::model_input(sample.h36m, {kSampleSize, kSampleSize});
}

BOOST_AUTO_TEST_SUITE(lifting_passes)

BOOST_AUTO_TEST_CASE(tool_output_is_the_mean_of_the_two_passes) {
  ScratchDir dir;
  BOOST_REQUIRE_EQUAL(run_infer(sample_arguments(dir.file("plain.h5")), dir.file("log")), 0);
  BOOST_REQUIRE_EQUAL(run_infer(sample_arguments(dir.file("flip.h5"), "--flip"), dir.file("log")), 0);
  const std::vector<float> plain_tool = tool_poses(dir.file("plain.h5")), flip_tool = tool_poses(dir.file("flip.h5"));

  auto model = models::load_model(kWeights);
  const keypoints::ClipPredictor pass = model_pass(*model);
  const std::vector<float> input = sample_input();
  const keypoints::SequenceShape shape{kSampleFrames, 3, 3};
  const std::vector<float> plain = keypoints::predict_sequence(input, shape, kClipLength, pass);
  const std::vector<float> flipped_back = mirrored(keypoints::predict_sequence(mirrored(input), shape, kClipLength, pass));
  std::vector<float> mean(plain.size());
  for (size_t i = 0; i < plain.size(); ++i) mean[i] = (plain[i] + flipped_back[i]) / 2;

  const std::vector<float> expected_plain = minus_pelvis(plain), expected_flip = minus_pelvis(mean);
  BOOST_REQUIRE_EQUAL(flip_tool.size(), expected_flip.size());
  double flip_effect = 0;
  for (size_t i = 0; i < flip_tool.size(); ++i) {
    BOOST_TEST(close(flip_tool[i], expected_flip[i]), "flip value " << i << ": " << flip_tool[i] << " vs " << expected_flip[i]);
    BOOST_TEST(close(plain_tool[i], expected_plain[i]), "plain value " << i << ": " << plain_tool[i] << " vs " << expected_plain[i]);
    flip_effect = std::max(flip_effect, static_cast<double>(std::abs(flip_tool[i] - plain_tool[i])));
  }
  BOOST_TEST(flip_effect > 1e-3);
}

// --frame-step 2: the 41 frames are phases of 21 (even frames) and 20 (odd frames), each lifted with
// several windows of the 9-frame model.
BOOST_AUTO_TEST_CASE(a_frame_step_lifts_each_phase_on_its_own) {
  ScratchDir dir;
  BOOST_REQUIRE_EQUAL(run_infer(sample_arguments(dir.file("stepped.h5"), "--frame-step 2"), dir.file("log")), 0);
  const std::vector<float> tool = tool_poses(dir.file("stepped.h5"));
  auto model = models::load_model(kWeights);
  const std::vector<float> input = sample_input();
  BOOST_REQUIRE_EQUAL(tool.size(), input.size());
  for (int64_t phase = 0; phase < 2; ++phase) {
    std::vector<float> phase_input;
    for (int64_t f = phase; f < kSampleFrames; f += 2)
      phase_input.insert(phase_input.end(), input.begin() + f * 51, input.begin() + (f + 1) * 51);
    const int64_t frames = static_cast<int64_t>(phase_input.size() / 51);
    const std::vector<float> expected =
        minus_pelvis(keypoints::predict_sequence(phase_input, {frames, 3, 3}, kClipLength, model_pass(*model)));
    for (int64_t k = 0; k < frames; ++k)
      for (int64_t i = 0; i < 51; ++i) {
        const float got = tool[(phase + 2 * k) * 51 + i], want = expected[k * 51 + i];
        BOOST_TEST(close(got, want), "phase " << phase << " frame " << k << " value " << i << ": " << got << " vs " << want);
      }
  }
}

// Weights trained at data.frame_step 2 (kasf_train records it as data_frame_step) are lifted only
// with --frame-step given, since the step is relative to the training data's rate; then they lift
// as the same weights without the record do.
BOOST_AUTO_TEST_CASE(weights_trained_at_a_frame_step_need_the_option) {
  ScratchDir dir;
  io::WeightFile weights = io::read_weight_file(kWeights);
  weights.attributes[models::kTrainedFrameStepAttribute] = int64_t{2};
  const std::string stepped = dir.file("stepped_weights.h5");
  io::write_weight_file(stepped, weights);
  const auto with_stepped = [&](std::string arguments) {
    return arguments.replace(arguments.find(kWeights), std::strlen(kWeights), stepped);
  };
  BOOST_TEST(run_infer(with_stepped(sample_arguments(dir.file("refused.h5"))), dir.file("log")) == 1);
  const std::string refused = kasf::test::read_file(dir.file("log"));
  BOOST_TEST(refused.find(stepped + " was trained with data.frame_step 2") != std::string::npos, refused);
  BOOST_TEST(refused.find("give --frame-step") != std::string::npos, refused);
  BOOST_TEST(!std::filesystem::exists(dir.file("refused.h5")));

  BOOST_REQUIRE_EQUAL(run_infer(with_stepped(sample_arguments(dir.file("given.h5"), "--frame-step 2")), dir.file("log")), 0);
  BOOST_REQUIRE_EQUAL(run_infer(sample_arguments(dir.file("plain.h5"), "--frame-step 2"), dir.file("log")), 0);
  const std::vector<float> given = tool_poses(dir.file("given.h5")), plain = tool_poses(dir.file("plain.h5"));
  BOOST_TEST(given == plain, boost::test_tools::per_element());

  // Another step than the recorded one is the user's call: lifted, with a note.
  BOOST_REQUIRE_EQUAL(run_infer(with_stepped(sample_arguments(dir.file("other.h5"), "--frame-step 1")), dir.file("log")), 0);
  const std::string other = kasf::test::read_file(dir.file("log"));
  BOOST_TEST(other.find("was trained at data.frame_step 2; lifting at --frame-step 1") != std::string::npos, other);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::inference::test
