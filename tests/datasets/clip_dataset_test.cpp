// Clip data sets: the contents of train and test clips against the spec's formulas (6.2, 6.3)
// evaluated here in double precision on the synthetic split's known values.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <vector>

#include "datasets/clip_dataset.h"
#include "expect_error.h"
#include "split_builder.h"

namespace kasf::data {
namespace {

namespace t = testing;

constexpr ImageSize kOutdoors{1312, 1216};
constexpr ImageSize kIndoors{1216, 1936};

// The spec's formulas in double precision. The code's float results are compared with an absolute
// tolerance of 1e-6: normalised values are O(1), and root-relative differences of them lose relative
// precision in float32 exactly as in the official code.
double norm_x(double x, ImageSize s) { return x / s.width * 2 - 1; }
double norm_y(double y, ImageSize s) { return y / s.width * 2 - s.height / s.width; }
double norm_z(double z, ImageSize s) { return z / s.width * 2; }

// Value (t, j, c) of a (T, 17, 3) clip array.
float at(const std::vector<float>& values, int64_t time, int64_t j, int64_t c) { return values[(time * 17 + j) * 3 + c]; }

ClipDatasetOptions options(SplitRole role, int64_t stride) {
  ClipDatasetOptions o;
  o.role = role;
  o.cutting = {ClipRule::motionbert, 27, stride};
  return o;
}

// Videos of 30 (outdoors), 20 (indoors) and 5 frames: clip 0 = frames 0..26, clip 1 resamples
// frames 30..49, the last video is dropped.
t::SplitSpec three_videos() { return {.video_lengths = {30, 20, 5}, .cameras = {"outdoors", "indoors", "outdoors"}}; }

BOOST_AUTO_TEST_SUITE(clip_dataset)

BOOST_AUTO_TEST_CASE(train_clip_input_and_root_relative_label) {
  const ClipDataset dataset(t::make_split(three_videos()), options(SplitRole::train, 9));
  BOOST_TEST_REQUIRE(dataset.size() == 2);
  for (int64_t c = 0; c < 2; ++c) {
    const Clip clip = dataset.get(c);
    BOOST_TEST(!clip.evaluation);
    BOOST_TEST_REQUIRE(clip.input.size() == 27u * 17 * 3);
    for (int64_t time = 0; time < 27; ++time) {
      const int64_t f = dataset.frames(c)[time];
      const ImageSize size = c == 0 ? kOutdoors : kIndoors;
      for (int64_t j = 0; j < 17; ++j) {
        BOOST_TEST_CONTEXT("clip " << c << " frame " << f << " joint " << j) {
          BOOST_TEST(std::abs(at(clip.input, time, j, 0) - norm_x(t::pixel_x(f, j), size)) < 1e-6);
          BOOST_TEST(std::abs(at(clip.input, time, j, 1) - norm_y(t::pixel_y(f, j), size)) < 1e-6);
          BOOST_TEST(at(clip.input, time, j, 2) == t::confidence(f, j));
          // Root-relative: the image offsets cancel.
          const double dx = double(t::image_x(f, j)) - t::image_x(f, 0), dy = double(t::image_y(f, j)) - t::image_y(f, 0);
          const double dz = double(t::depth(f, j)) - t::depth(f, 0);
          BOOST_TEST(std::abs(at(clip.label, time, j, 0) - norm_z(dx, size)) < 1e-6);
          BOOST_TEST(std::abs(at(clip.label, time, j, 1) - norm_z(dy, size)) < 1e-6);
          BOOST_TEST(std::abs(at(clip.label, time, j, 2) - norm_z(dz, size)) < 1e-6);
        }
      }
    }
  }
  // Clip 1 resamples the 20 frames of video 1.
  BOOST_TEST(dataset.frames(1).front() == 30);
  BOOST_TEST(dataset.frames(1).back() == 49);
}

BOOST_AUTO_TEST_CASE(test_clip_label_and_evaluation_fields) {
  const ClipDataset dataset(t::make_split(three_videos()), options(SplitRole::test, 27));
  BOOST_TEST_REQUIRE(dataset.size() == 2);
  for (int64_t c = 0; c < 2; ++c) {
    const Clip clip = dataset.get(c);
    BOOST_TEST_REQUIRE(clip.evaluation.has_value());
    const ClipEvaluation& eval = *clip.evaluation;
    const ImageSize size = c == 0 ? kOutdoors : kIndoors;
    BOOST_TEST((eval.image_size == size));
    BOOST_TEST(eval.action == (c == 0 ? "action0" : "action1"));
    BOOST_TEST(eval.environment == (c == 0 ? "outdoors" : "indoors"));
    BOOST_TEST_REQUIRE(eval.factor.size() == 27u);
    BOOST_TEST_REQUIRE(eval.label_scaled.size() == 27u * 17 * 3);
    for (int64_t time = 0; time < 27; ++time) {
      const int64_t f = dataset.frames(c)[time];
      BOOST_TEST(eval.factor[time] == t::factor(f));
      for (int64_t j = 0; j < 17; ++j) {
        for (int64_t k = 0; k < 3; ++k) BOOST_TEST(at(eval.label_scaled, time, j, k) == t::scaled(f, j, k));
        // Test labels are absolute, not root-relative.
        BOOST_TEST(std::abs(at(clip.label, time, j, 0) - norm_x(t::image_x(f, j), size)) < 1e-6);
        BOOST_TEST(std::abs(at(clip.label, time, j, 1) - norm_y(t::image_y(f, j), size)) < 1e-6);
        BOOST_TEST(std::abs(at(clip.label, time, j, 2) - norm_z(t::depth(f, j), size)) < 1e-6);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(missing_confidence_reads_as_one) {
  t::SplitSpec spec = three_videos();
  spec.confidence = false;
  const ClipDataset dataset(t::make_split(spec), options(SplitRole::train, 9));
  const Clip clip = dataset.get(0);
  for (int64_t time = 0; time < 27; ++time)
    for (int64_t j = 0; j < 17; ++j) BOOST_TEST(at(clip.input, time, j, 2) == 1.0f);
}

BOOST_AUTO_TEST_CASE(ground_truth_2d_comes_from_joint3d_image) {
  ClipDatasetOptions o = options(SplitRole::train, 9);
  o.ground_truth_2d = true;
  o.image_size = ImageSize{1000, 1000};
  const ClipDataset dataset(t::make_split(three_videos()), o);
  const Clip clip = dataset.get(0);
  for (int64_t j = 0; j < 17; ++j) {
    BOOST_TEST(std::abs(at(clip.input, 4, j, 0) - norm_x(t::image_x(4, j), {1000, 1000})) < 1e-6);
    BOOST_TEST(std::abs(at(clip.input, 4, j, 1) - norm_y(t::image_y(4, j), {1000, 1000})) < 1e-6);
    BOOST_TEST(at(clip.input, 4, j, 2) == 1.0f);
  }
}

BOOST_AUTO_TEST_CASE(resampling_is_seeded) {
  // A 20-frame video becomes one resampled clip; its frames depend on the seed only.
  auto resampled = [](uint64_t seed) {
    ClipDatasetOptions o = options(SplitRole::train, 9);
    o.resample_seed = seed;
    return ClipDataset(t::make_split(three_videos()), o).frames(1);
  };
  BOOST_TEST(resampled(1) == resampled(1));
  BOOST_TEST(resampled(1) != resampled(2));
}

BOOST_AUTO_TEST_CASE(worldpose_rule_and_its_tail_clips) {
  ClipDatasetOptions o = options(SplitRole::train, 9);
  o.cutting.rule = ClipRule::worldpose;
  const ClipDataset dataset(t::make_split({.video_lengths = {30, 20, 5}, .evaluation_fields = false}), o);
  // Video 0: window 0..26 and the tail 9..29 (21 frames); video 1: 20 frames; the last is not emitted.
  BOOST_TEST_REQUIRE(dataset.size() == 3);
  BOOST_TEST(dataset.frames(1).front() == 9);
  BOOST_TEST(dataset.frames(1).back() == 29);
  BOOST_TEST(dataset.frames(2).front() == 30);
  BOOST_TEST(dataset.frames(2).back() == 49);
  // WorldPose files have no camera_name: 1920 x 1080.
  BOOST_TEST(std::abs(at(dataset.get(0).input, 0, 0, 0) - norm_x(t::pixel_x(0, 0), {1920, 1080})) < 1e-6);
}

BOOST_AUTO_TEST_CASE(a_frame_step_takes_every_nth_frame) {
  // A 60-frame video at step 2 is two phases of 30 frames: one test clip each, frames 0, 2, .., 52
  // and 1, 3, .., 53. The last video (5 frames) is two short phases: the first is resampled, the
  // second, the last of the split, makes none (the MotionBERT rule per phase).
  ClipDatasetOptions o = options(SplitRole::test, 27);
  o.cutting.frame_step = 2;
  const ClipDataset dataset(t::make_split({.video_lengths = {60, 5}, .cameras = {"outdoors", "indoors"}}), o);
  BOOST_TEST_REQUIRE(dataset.size() == 3);
  BOOST_TEST(!dataset.evenly_sampled(2));
  for (int64_t f : dataset.frames(2)) BOOST_TEST((f == 60 || f == 62 || f == 64), "frame " << f);
  for (int64_t c = 0; c < 2; ++c) {
    BOOST_TEST(dataset.evenly_sampled(c));
    const Clip clip = dataset.get(c);
    BOOST_TEST_REQUIRE(clip.evaluation.has_value());
    for (int64_t time = 0; time < 27; ++time) {
      const int64_t f = 2 * time + c;
      BOOST_TEST_CONTEXT("clip " << c << " time " << time) {
        BOOST_TEST(dataset.frames(c)[time] == f);
        BOOST_TEST(std::abs(at(clip.input, time, 3, 0) - norm_x(t::pixel_x(f, 3), kOutdoors)) < 1e-6);
        BOOST_TEST(clip.evaluation->factor[time] == t::factor(f));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(official_strides) {
  BOOST_TEST(default_stride(27, SplitRole::train) == 9);
  BOOST_TEST(default_stride(27, SplitRole::test) == 27);
  BOOST_TEST(default_stride(81, SplitRole::train) == 27);
  BOOST_TEST(default_stride(243, SplitRole::train) == 81);
  BOOST_TEST(default_stride(243, SplitRole::test) == 243);
}

BOOST_AUTO_TEST_CASE(errors_name_the_split_key_and_shape) {
  SplitData split = t::make_split(three_videos());
  split.arrays.erase("joint3d_image");
  t::expect_error([&] { ClipDataset(std::move(split), options(SplitRole::train, 9)); }, {"train", "joint3d_image"});

  split = t::make_split(three_videos());
  split.arrays["joint_2d"].shape = {55, 3, 17};
  t::expect_error([&] { ClipDataset(std::move(split), options(SplitRole::train, 9)); },
                  {"train/joint_2d", "(55, 17, >=2)", "(55, 3, 17)"});

  split = t::make_split(three_videos());
  split.arrays["confidence"].shape = {55, 17, 2};
  t::expect_error([&] { ClipDataset(std::move(split), options(SplitRole::train, 9)); }, {"train/confidence", "(55, 17, 2)"});

  split = t::make_split(three_videos());
  split.arrays.erase("2.5d_factor");
  t::expect_error([&] { ClipDataset(std::move(split), options(SplitRole::test, 27)); }, {"test", "2.5d_factor"});

  split = t::make_split(three_videos());
  split.strings["source"].index.pop_back();
  t::expect_error([&] { ClipDataset(std::move(split), options(SplitRole::train, 9)); }, {"train/source", "54 entries for 55 frames"});

  split = t::make_split(three_videos());
  split.clip_length = 81;
  t::expect_error([&] { ClipDataset(std::move(split), options(SplitRole::train, 9)); }, {"pre-cut clips"});
}

BOOST_AUTO_TEST_CASE(a_test_clip_must_have_one_action) {
  SplitData split = t::make_split(three_videos());
  split.strings["action"].index[10] = 1;  // frame 10 of video 0 claims video 1's action
  t::expect_error([&] { ClipDataset(std::move(split), options(SplitRole::test, 27)); },
                  {"test/action", "clip 0", "'action0'", "'action1'"});
}

BOOST_AUTO_TEST_SUITE_END()

// Pre-cut clips (a converted clip folder): 3 clips of 4 frames whose values are formulas of
// (clip, time, joint, channel), used as stored.
constexpr int64_t kPreCutClips = 3, kPreCutLength = 4;
float stored_input(int64_t c, int64_t time, int64_t j, int64_t ch) { return 0.1f * c + 0.01f * time + 0.001f * j + ch; }
float stored_label(int64_t c, int64_t time, int64_t j, int64_t ch) { return -0.2f * c + 0.03f * time - 0.002f * j + ch; }

FloatArray clip_array(Shape trailing, float (*value)(int64_t, int64_t, int64_t, int64_t)) {
  Shape shape{kPreCutClips, kPreCutLength};
  shape.insert(shape.end(), trailing.begin(), trailing.end());
  FloatArray a{shape, {}};
  for (int64_t c = 0; c < kPreCutClips; ++c)
    for (int64_t time = 0; time < kPreCutLength; ++time)
      for (int64_t j = 0; j < (trailing.empty() ? 1 : 17); ++j)
        for (int64_t ch = 0; ch < (trailing.empty() ? 1 : 3); ++ch) a.values.push_back(value(c, time, j, ch));
  return a;
}

SplitData pre_cut_split(bool evaluation_fields) {
  SplitData split{kPreCutClips, kPreCutLength, {}, {}};
  split.arrays["data_input"] = clip_array({17, 3}, stored_input);
  split.arrays["data_label"] = clip_array({17, 3}, stored_label);
  if (evaluation_fields) {
    split.arrays["data_label_scaled"] =
        clip_array({17, 3}, [](int64_t c, int64_t time, int64_t j, int64_t ch) { return 100.0f * c + 10.0f * time + j + 0.5f * ch; });
    split.arrays["data_factor"] = clip_array({}, [](int64_t c, int64_t time, int64_t, int64_t) { return 1.0f + c + 0.25f * time; });
    split.arrays["data_res"] = {{kPreCutClips, 2}, {1000, 500, 1920, 1080, 640, 480}};
    split.arrays["data_fps"] = {{kPreCutClips}, {50, 60, 120}};
    // Clip 1 repeats frames (resampled); clips 0 and 2 are windows.
    split.arrays["data_frames"] = {{kPreCutClips, kPreCutLength}, {0, 1, 2, 3, 10, 10, 11, 12, 20, 21, 22, 23}};
    split.strings["data_action"] = {{"jump", "run"}, {0, 1, 0}};
    split.strings["data_env"] = {{"indoors"}, {0, 0, 0}};
  }
  return split;
}

ClipDatasetOptions pre_cut_options(SplitRole role, int64_t length = kPreCutLength) {
  ClipDatasetOptions o;
  o.role = role;
  o.cutting = {ClipRule::motionbert, length, 1};  // the stride does not apply to pre-cut clips
  return o;
}

BOOST_AUTO_TEST_SUITE(pre_cut_clip_dataset)

BOOST_AUTO_TEST_CASE(train_clips_are_used_as_stored_with_root_relative_labels) {
  const ClipDataset dataset(pre_cut_split(false), pre_cut_options(SplitRole::train));
  BOOST_TEST_REQUIRE(dataset.size() == kPreCutClips);
  for (int64_t c = 0; c < kPreCutClips; ++c) {
    const Clip clip = dataset.get(c);
    BOOST_TEST(!clip.evaluation);
    BOOST_TEST(dataset.frames(c) == (ClipFrames{4 * c, 4 * c + 1, 4 * c + 2, 4 * c + 3}), boost::test_tools::per_element());
    for (int64_t time = 0; time < kPreCutLength; ++time)
      for (int64_t j = 0; j < 17; ++j)
        for (int64_t ch = 0; ch < 3; ++ch) {
          BOOST_TEST(at(clip.input, time, j, ch) == stored_input(c, time, j, ch));
          const double relative = double(stored_label(c, time, j, ch)) - stored_label(c, time, 0, ch);
          BOOST_TEST(std::abs(at(clip.label, time, j, ch) - relative) < 1e-6);
        }
  }
}

BOOST_AUTO_TEST_CASE(test_clips_carry_their_evaluation_fields) {
  const ClipDataset dataset(pre_cut_split(true), pre_cut_options(SplitRole::test));
  BOOST_TEST_REQUIRE(dataset.size() == kPreCutClips);
  const Clip clip = dataset.get(1);
  BOOST_TEST(at(clip.label, 2, 5, 1) == stored_label(1, 2, 5, 1));  // test labels stay absolute
  BOOST_TEST_REQUIRE(clip.evaluation.has_value());
  const ClipEvaluation& eval = *clip.evaluation;
  BOOST_TEST(eval.action == "run");
  BOOST_TEST(eval.environment == "indoors");
  BOOST_TEST(eval.fps == 60);
  BOOST_TEST((eval.image_size == ImageSize{1920, 1080}));
  BOOST_TEST(eval.factor == (std::vector<float>{2.0f, 2.25f, 2.5f, 2.75f}), boost::test_tools::per_element());
  BOOST_TEST(at(eval.label_scaled, 3, 16, 2) == 100.0f + 30.0f + 16 + 1.0f);
  BOOST_TEST(dataset.evenly_sampled(0));
  BOOST_TEST(!dataset.evenly_sampled(1));
  BOOST_TEST(dataset.evenly_sampled(2));
  // Without data_source every clip is its own video.
  BOOST_TEST(dataset.video_of_frame()[3] != dataset.video_of_frame()[4]);
}

BOOST_AUTO_TEST_CASE(ground_truth_2d_takes_the_label_with_confidence_one) {
  ClipDatasetOptions o = pre_cut_options(SplitRole::train);
  o.ground_truth_2d = true;
  const Clip clip = ClipDataset(pre_cut_split(false), o).get(2);
  BOOST_TEST(at(clip.input, 1, 4, 0) == stored_label(2, 1, 4, 0));
  BOOST_TEST(at(clip.input, 1, 4, 1) == stored_label(2, 1, 4, 1));
  BOOST_TEST(at(clip.input, 1, 4, 2) == 1.0f);
}

BOOST_AUTO_TEST_CASE(errors_name_the_split_key_shape_and_remedy) {
  t::expect_error([] { ClipDataset(pre_cut_split(true), pre_cut_options(SplitRole::test, 27)); },
                  {"test", "pre-cut clips of 4 frames, not 27"});
  t::expect_error([] { ClipDataset(pre_cut_split(false), pre_cut_options(SplitRole::test)); },
                  {"test", "missing array 'data_label_scaled'", "--dataset CLIPDIR --dataset test=valid.pkl"});
  ClipDatasetOptions stepped = pre_cut_options(SplitRole::train);
  stepped.cutting.frame_step = 3;
  t::expect_error([&] { ClipDataset(pre_cut_split(false), stepped); },
                  {"train", "pre-cut clips of 4 frames", "frame step 3"});
  SplitData split = pre_cut_split(true);
  split.arrays["data_factor"].shape = {kPreCutClips * kPreCutLength};
  t::expect_error([&] { ClipDataset(std::move(split), pre_cut_options(SplitRole::test)); },
                  {"test/data_factor", "expected shape (3, 4)", "got (12,)"});
  split = pre_cut_split(true);
  split.arrays["data_res"].shape = {kPreCutClips * 2};
  t::expect_error([&] { ClipDataset(std::move(split), pre_cut_options(SplitRole::test)); },
                  {"test/data_res", "expected shape (3, 2)"});
  split = pre_cut_split(false);
  split.arrays["data_label"].shape = {kPreCutClips, kPreCutLength, 17, 2};
  t::expect_error([&] { ClipDataset(std::move(split), pre_cut_options(SplitRole::train)); },
                  {"train/data_label", "expected shape (3, 4, 17, 3)"});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::data
