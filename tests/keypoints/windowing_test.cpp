// Windowed prediction of sequences of any length with clips of T = 27 frames.
#include <boost/test/unit_test.hpp>
#include <set>
#include <stdexcept>

#include "keypoints/windowing.h"

namespace kasf::keypoints {
namespace {

constexpr int64_t kT = 27;
constexpr int64_t kValues = 17 * 3;

std::vector<float> ramp(int64_t frames) {
  std::vector<float> v;
  for (int64_t i = 0; i < frames * kValues; ++i) v.push_back(static_cast<float>(i % 997) * 0.5f - 100);
  return v;
}

const ClipPredictor identity = [](const std::vector<float>& clips, int64_t) { return clips; };

BOOST_AUTO_TEST_SUITE(windowing)

BOOST_AUTO_TEST_CASE(every_length_is_covered_and_reproduced_by_identity) {
  for (int64_t frames : {1, 26, 27, 28, 1000}) {
    const std::vector<Window> windows = plan_windows(frames, kT);
    std::set<int64_t> covered;
    for (const Window& w : windows) {
      BOOST_TEST(w.frames.size() == static_cast<size_t>(kT));
      BOOST_TEST(w.weights.size() == static_cast<size_t>(kT));
      for (size_t k = 0; k < w.frames.size(); ++k) {
        BOOST_TEST(w.frames[k] >= 0);
        BOOST_TEST(w.frames[k] < frames);
        BOOST_TEST(w.weights[k] > 0.0);
        if (k > 0) BOOST_TEST(w.frames[k] >= w.frames[k - 1]);
        covered.insert(w.frames[k]);
      }
    }
    BOOST_TEST(covered.size() == static_cast<size_t>(frames), "frames " << frames);
    const std::vector<float> input = ramp(frames);
    const std::vector<float> output = predict_sequence(input, {frames, 3, 3}, kT, identity);
    BOOST_REQUIRE(output.size() == input.size());
    for (size_t i = 0; i < input.size(); ++i) BOOST_TEST(output[i] == input[i], boost::test_tools::tolerance(1e-5f));
    // A predictor that outputs 1 everywhere: blended weights sum to 1 in every frame.
    const ClipPredictor ones = [](const std::vector<float>& clips, int64_t) { return std::vector<float>(clips.size(), 1.0f); };
    for (float v : predict_sequence(input, {frames, 3, 3}, kT, ones)) BOOST_TEST(v == 1.0f, boost::test_tools::tolerance(1e-6f));
  }
}

BOOST_AUTO_TEST_CASE(window_layout_by_hand) {
  // 28 frames: windows at 0 and 1. 1000 frames: starts 0, 14, ..., 966, then 973 (ending at 999).
  BOOST_TEST(plan_windows(28, kT).size() == 2u);
  BOOST_TEST(plan_windows(28, kT)[1].frames.front() == 1);
  const std::vector<Window> w = plan_windows(1000, kT);
  BOOST_TEST(w.size() == 71u);
  BOOST_TEST(w[69].frames.front() == 966);
  BOOST_TEST(w.back().frames.back() == 999);
  BOOST_TEST(plan_windows(27, kT).size() == 1u);
  // 26 frames: position k holds frame floor(26 k / 27): frame 0 twice, then one each.
  const std::vector<Window> short_clip = plan_windows(26, kT);
  BOOST_TEST(short_clip.size() == 1u);
  BOOST_TEST(short_clip[0].frames[1] == 0);
  BOOST_TEST(short_clip[0].frames[26] == 25);
}

BOOST_AUTO_TEST_CASE(overlaps_blend_with_tent_weights) {
  // Each clip predicts its own index. Frame 20 of 1000 lies at position 20 of window 0 (weight
  // min(21, 7) = 7) and position 6 of window 1 (weight min(7, 21) = 7): (0 * 7 + 1 * 7) / 14.
  // Frame 16: positions 16 (weight 11) and 2 (weight 3): (0 * 11 + 1 * 3) / 14.
  const ClipPredictor clip_index = [](const std::vector<float>& clips, int64_t count) {
    std::vector<float> out(clips.size());
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(i / (kT * kValues));
    BOOST_TEST(static_cast<int64_t>(clips.size()) == count * kT * kValues);
    return out;
  };
  const std::vector<float> out = predict_sequence(ramp(1000), {1000, 3, 3}, kT, clip_index);
  BOOST_TEST(out[20 * kValues] == 0.5f, boost::test_tools::tolerance(1e-6f));
  BOOST_TEST(out[16 * kValues + 7] == 3.0f / 14, boost::test_tools::tolerance(1e-6f));
  BOOST_TEST(out[5 * kValues] == 0.0f);  // only window 0 covers frame 5
}

BOOST_AUTO_TEST_CASE(short_sequences_average_repeated_frames) {
  // 1 frame repeated 27 times: the output is the mean of the 27 outputs.
  const ClipPredictor position = [](const std::vector<float>& clips, int64_t) {
    std::vector<float> out(clips.size());
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(i / kValues);
    return out;
  };
  BOOST_TEST(predict_sequence(ramp(1), {1, 3, 3}, kT, position)[0] == 13.0f, boost::test_tools::tolerance(1e-6f));
  // 26 frames: frame 0 sits at positions 0 and 1 -> 0.5; frame 1 at position 2.
  const std::vector<float> out = predict_sequence(ramp(26), {26, 3, 3}, kT, position);
  BOOST_TEST(out[0] == 0.5f, boost::test_tools::tolerance(1e-6f));
  BOOST_TEST(out[kValues] == 2.0f, boost::test_tools::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(a_frame_step_windows_each_phase) {
  // 10 frames at step 2, clips of 3 (stride 2): phase 0 is frames 0, 2, .., 8, phase 1 frames 1, .., 9.
  const std::vector<Window> w = plan_windows(10, 3, 0, 2);
  BOOST_TEST_REQUIRE(w.size() == 4u);
  BOOST_TEST(w[0].frames == (std::vector<int64_t>{0, 2, 4}), boost::test_tools::per_element());
  BOOST_TEST(w[1].frames == (std::vector<int64_t>{4, 6, 8}), boost::test_tools::per_element());
  BOOST_TEST(w[2].frames == (std::vector<int64_t>{1, 3, 5}), boost::test_tools::per_element());
  BOOST_TEST(w[3].frames == (std::vector<int64_t>{5, 7, 9}), boost::test_tools::per_element());
  BOOST_TEST(w[1].weights == (std::vector<double>{1, 2, 1}), boost::test_tools::per_element());
  // Every frame covered and reproduced, also when a phase is shorter than a clip or empty.
  for (int64_t step : {2, 5})
    for (int64_t frames : {1, 3, 26, 60, 1000}) BOOST_TEST_CONTEXT("step " << step << ", " << frames << " frames") {
      const std::vector<float> input = ramp(frames);
      const std::vector<float> output = predict_sequence(input, {frames, 3, 3}, kT, identity, 0, step);
      BOOST_REQUIRE(output.size() == input.size());
      for (size_t i = 0; i < input.size(); ++i) BOOST_TEST(output[i] == input[i], boost::test_tools::tolerance(1e-5f));
      for (const Window& window : plan_windows(frames, kT, 0, step))
        for (size_t k = 1; k < window.frames.size(); ++k) BOOST_TEST((window.frames[k] - window.frames[0]) % step == 0);
    }
}

BOOST_AUTO_TEST_CASE(bad_arguments) {
  BOOST_CHECK_THROW(plan_windows(10, kT, 0, 0), std::invalid_argument);
  BOOST_CHECK_THROW(plan_windows(0, kT), std::invalid_argument);
  BOOST_CHECK_THROW(plan_windows(10, kT, 28), std::invalid_argument);
  BOOST_CHECK_THROW(predict_sequence(ramp(3), {4, 3, 3}, kT, identity), std::invalid_argument);
  const ClipPredictor wrong = [](const std::vector<float>&, int64_t) { return std::vector<float>(5); };
  BOOST_CHECK_THROW(predict_sequence(ramp(3), {3, 3, 3}, kT, wrong), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::keypoints
