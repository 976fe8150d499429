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

}  // namespace
}  // namespace kasf::data
