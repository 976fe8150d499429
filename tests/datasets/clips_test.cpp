// Clip cutting (spec 6.3) against clip lists worked out by hand from the rules.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <set>
#include <stdexcept>
#include <vector>

#include "datasets/clips.h"

namespace kasf::data {
namespace {

// Frames [begin, end).
ClipFrames window(int64_t begin, int64_t end) {
  ClipFrames frames;
  for (int64_t f = begin; f < end; ++f) frames.push_back(f);
  return frames;
}

// One source id per video, repeated for its length.
std::vector<int32_t> videos(const std::vector<int64_t>& lengths) {
  std::vector<int32_t> ids;
  for (size_t v = 0; v < lengths.size(); ++v) ids.insert(ids.end(), lengths[v], static_cast<int32_t>(v));
  return ids;
}

// What a test expects of one clip: a plain window, or a resampling of [start, start + length).
struct Expected {
  bool resampled;
  int64_t start, length;
};
Expected W(int64_t start) { return {false, start, 0}; }
Expected R(int64_t start, int64_t length) { return {true, start, length}; }

// A resampled segment starts at its first frame, ends at its last, and never goes back.
void check_clips(const std::vector<ClipFrames>& clips, const std::vector<Expected>& expected, int64_t clip_length) {
  BOOST_TEST_REQUIRE(clips.size() == expected.size());
  for (size_t c = 0; c < clips.size(); ++c) {
    BOOST_TEST_CONTEXT("clip " << c) {
      const Expected& e = expected[c];
      BOOST_TEST_REQUIRE(static_cast<int64_t>(clips[c].size()) == clip_length);
      if (!e.resampled) {
        BOOST_TEST(clips[c] == window(e.start, e.start + clip_length));
        continue;
      }
      BOOST_TEST(clips[c].front() == e.start);
      BOOST_TEST(clips[c].back() == e.start + e.length - 1);
      for (int64_t t = 1; t < clip_length; ++t) BOOST_TEST(clips[c][t] >= clips[c][t - 1]);
    }
  }
}

std::vector<ClipFrames> cut(const std::vector<int32_t>& ids, ClipRule rule, int64_t length, int64_t stride) {
  Generator generator(7);
  return cut_clips(ids, {rule, length, stride}, generator);
}

// Videos of 13, 14, 26, 27, 28, 36 and 41 frames, then a last one of 30. They start at frames
// 0, 13, 27, 53, 80, 108, 144 and 185.
const std::vector<int32_t> kBoundaryVideos = videos({13, 14, 26, 27, 28, 36, 41, 30});

BOOST_AUTO_TEST_SUITE(clips)

BOOST_AUTO_TEST_CASE(resampling_with_given_choices) {
  // 3 frames to 4: even positions 0, 0.75, 1.5, 2.25.
  BOOST_TEST(resampled_frames(10, 3, 4, {true, false, true, false}) == (ClipFrames{10, 11, 11, 12}));  // 0,1,1,3->2
  BOOST_TEST(resampled_frames(10, 3, 4, {false, true, false, true}) == (ClipFrames{10, 10, 12, 12}));  // 0,0,2,2
  // 2 frames to 5: 0, 0.4, 0.8, 1.2, 1.6; the choices 0,1,0,1,2 are sorted, 2 is clamped to 1.
  BOOST_TEST(resampled_frames(0, 2, 5, {true, false, true, true, false}) == (ClipFrames{0, 0, 1, 1, 1}));
}

BOOST_AUTO_TEST_CASE(resampling_13_frames_to_27) {
  // floor and ceil of 13k/27 for k = 0..26 (13k/27 = 0, .48, .96, 1.44, 1.93, 2.41, ...).
  const ClipFrames floors = {0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12};
  const ClipFrames ceils = {0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 12, 12};
  BOOST_TEST(resampled_frames(0, 13, 27, std::vector<bool>(27, true)) == floors);
  BOOST_TEST(resampled_frames(0, 13, 27, std::vector<bool>(27, false)) == ceils);
}

BOOST_AUTO_TEST_CASE(resampling_26_frames_to_27) {
  // 26k/27 = k - k/27: floor k - 1 (k >= 1), ceil k, clamped to 25; shifted by the start 100.
  ClipFrames floors = {100}, ceils;
  for (int64_t k = 1; k < 27; ++k) floors.push_back(100 + k - 1);
  for (int64_t k = 0; k < 27; ++k) ceils.push_back(100 + std::min<int64_t>(k, 25));
  BOOST_TEST(resampled_frames(100, 26, 27, std::vector<bool>(27, true)) == floors);
  BOOST_TEST(resampled_frames(100, 26, 27, std::vector<bool>(27, false)) == ceils);
}

BOOST_AUTO_TEST_CASE(random_resampling_picks_floor_or_ceil_per_position) {
  Generator generator(3);
  int64_t floors = 0, ceils = 0;
  for (int draw = 0; draw < 50; ++draw) {
    const ClipFrames frames = resampled_frames(0, 13, 27, generator);
    // After sorting, position k still holds floor or ceil of 13k/27 (clamped to 12).
    for (int64_t k = 1; k < 26; ++k) {
      const int64_t low = 13 * k / 27, high = std::min<int64_t>((13 * k + 26) / 27, 12);
      BOOST_TEST((frames[k] == low || frames[k] == high));
      floors += frames[k] == low;
      ceils += frames[k] == high;
    }
  }
  // 1250 fair choices.
  BOOST_TEST(floors > 500);
  BOOST_TEST(ceils > 500);
}

BOOST_AUTO_TEST_CASE(random_resampling_draws_one_bit_per_position_from_the_generator) {
  Generator generator(11);
  const ClipFrames drawn = resampled_frames(5, 13, 27, generator);
  BOOST_TEST(generator.offset() == 27u);
  Generator bits(11);
  std::vector<bool> take_floor;
  for (int k = 0; k < 27; ++k) take_floor.push_back(bits.below(2) == 1);
  BOOST_TEST(drawn == resampled_frames(5, 13, 27, take_floor));
}

BOOST_AUTO_TEST_CASE(resampling_rejects_segments_that_are_not_short) {
  BOOST_CHECK_THROW(resampled_frames(0, 27, 27, std::vector<bool>(27, true)), std::invalid_argument);
  BOOST_CHECK_THROW(resampled_frames(0, 0, 27, std::vector<bool>(27, true)), std::invalid_argument);
  BOOST_CHECK_THROW(resampled_frames(0, 5, 27, std::vector<bool>(26, true)), std::invalid_argument);
}

// MotionBERT rule. Windows of 27 every 9 frames; videos without a window are resampled, except
// the last one.
BOOST_AUTO_TEST_CASE(motionbert_train_stride) {
  check_clips(cut(kBoundaryVideos, ClipRule::motionbert, 27, 9),
              {R(0, 13), R(13, 14), R(27, 26),  // 13, 14, 26 frames: one resampled clip each
               W(53),                           // 27: one window
               W(80),                           // 28: one window, 1 frame dropped
               W(108), W(117),                  // 36: two windows
               W(144), W(153),                  // 41: two windows, 5 frames dropped
               W(185)},                         // last video, 30 frames: its window only
              27);
}

BOOST_AUTO_TEST_CASE(motionbert_test_stride) {
  check_clips(cut(kBoundaryVideos, ClipRule::motionbert, 27, 27),
              {R(0, 13), R(13, 14), R(27, 26), W(53), W(80), W(108), W(144), W(185)}, 27);
}

BOOST_AUTO_TEST_CASE(motionbert_drops_a_short_last_video) {
  check_clips(cut(videos({5, 26}), ClipRule::motionbert, 27, 9), {R(0, 5)}, 27);
  check_clips(cut(videos({26}), ClipRule::motionbert, 27, 9), {}, 27);
}

BOOST_AUTO_TEST_CASE(motionbert_remembers_sources_by_name) {
  // Source 0 returns after source 1 with 5 frames: it already has a clip, so no resampling.
  std::vector<int32_t> ids(30, 0);
  ids.insert(ids.end(), 5, 1);
  ids.insert(ids.end(), 5, 0);
  ids.insert(ids.end(), 3, 2);
  check_clips(cut(ids, ClipRule::motionbert, 27, 27), {W(0), R(30, 5)}, 27);
}

// WorldPose rule. The leftover from where the next window would start becomes a resampled clip
// when it has at least 14 of 27 frames; never for the last video.
BOOST_AUTO_TEST_CASE(worldpose_train_stride) {
  check_clips(cut(kBoundaryVideos, ClipRule::worldpose, 27, 9),
              {                                   // 13 frames: too short, dropped
               R(13, 14), R(27, 26),              // 14, 26 frames
               W(53), R(62, 18),                  // 27: window, then frames 62..79
               W(80), R(89, 19),                  // 28: window, then 89..107
               W(108), W(117), R(126, 18),        // 36
               W(144), W(153), R(162, 23),        // 41
               W(185)},                           // last video: no leftover clip
              27);
}

BOOST_AUTO_TEST_CASE(worldpose_test_stride) {
  check_clips(cut(kBoundaryVideos, ClipRule::worldpose, 27, 27),
              {R(13, 14), R(27, 26),
               W(53),              // leftover 0
               W(80),              // leftover 1: dropped
               W(108),             // leftover 9: dropped
               W(144), R(171, 14), // leftover 14: kept
               W(185)},
              27);
}

BOOST_AUTO_TEST_CASE(other_clip_lengths_and_strides) {
  // Clip length 4, stride 1, videos of 5, 3 and 2 frames (half a clip = 2 frames).
  const std::vector<int32_t> ids = videos({5, 3, 2});
  check_clips(cut(ids, ClipRule::motionbert, 4, 1), {W(0), W(1), R(5, 3)}, 4);
  check_clips(cut(ids, ClipRule::worldpose, 4, 1), {W(0), W(1), R(2, 3), R(5, 3)}, 4);
  // A leftover of exactly half a clip is kept.
  check_clips(cut(videos({6, 1}), ClipRule::worldpose, 4, 4), {W(0), R(4, 2)}, 4);
  // Clip length 81 with the official strides 27 and 81: a 121-frame video.
  const std::vector<int32_t> long_video = videos({121, 1});
  check_clips(cut(long_video, ClipRule::motionbert, 81, 27), {W(0), W(27)}, 81);
  check_clips(cut(long_video, ClipRule::worldpose, 81, 27), {W(0), W(27), R(54, 67)}, 81);
  check_clips(cut(long_video, ClipRule::worldpose, 81, 81), {W(0)}, 81);  // leftover 40 < 40.5
}

std::vector<ClipFrames> cut_with_step(const std::vector<int32_t>& ids, ClipRule rule, int64_t stride, int64_t step) {
  Generator generator(7);
  return cut_clips(ids, {rule, 3, stride, step}, generator);
}

// A resampled clip of 3 positions starts at `first`, ends at `last` and holds only `allowed` frames.
void check_resampled(const ClipFrames& clip, int64_t first, int64_t last, const std::set<int64_t>& allowed) {
  BOOST_TEST_REQUIRE(clip.size() == 3u);
  BOOST_TEST(clip.front() == first);
  BOOST_TEST(clip.back() == last);
  for (int64_t f : clip) BOOST_TEST(allowed.contains(f), "frame " << f);
}

BOOST_AUTO_TEST_CASE(frame_step_cuts_each_phase_of_a_video) {
  // Clip length 3, frame step 2: a 12-frame video is phases {0, 2, .., 10} and {1, 3, .., 11}.
  const std::vector<int32_t> ids = videos({12, 1});
  BOOST_TEST(cut_with_step(ids, ClipRule::motionbert, 1, 2) ==
             (std::vector<ClipFrames>{{0, 2, 4}, {2, 4, 6}, {4, 6, 8}, {6, 8, 10},
                                      {1, 3, 5}, {3, 5, 7}, {5, 7, 9}, {7, 9, 11}}));
  // The test stride (a whole clip): every frame of the video in exactly one clip.
  BOOST_TEST(cut_with_step(ids, ClipRule::motionbert, 3, 2) ==
             (std::vector<ClipFrames>{{0, 2, 4}, {6, 8, 10}, {1, 3, 5}, {7, 9, 11}}));
  // Step 1 is the consecutive cut.
  BOOST_TEST(cut_with_step(ids, ClipRule::motionbert, 3, 1) ==
             (std::vector<ClipFrames>{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9, 10, 11}}));
}

BOOST_AUTO_TEST_CASE(frame_step_applies_the_rules_per_phase) {
  // MotionBERT: videos of 5 and 4 frames, then a last one of 1. Video 0's phase 1 (frames 1, 3) and
  // both phases of video 1 (5, 7 and 6, 8) are too short for a window and are resampled; the last
  // video makes none.
  std::vector<ClipFrames> clips = cut_with_step(videos({5, 4, 1}), ClipRule::motionbert, 3, 2);
  BOOST_TEST_REQUIRE(clips.size() == 4u);
  BOOST_TEST(clips[0] == (ClipFrames{0, 2, 4}));
  check_resampled(clips[1], 1, 3, {1, 3});
  check_resampled(clips[2], 5, 7, {5, 7});
  check_resampled(clips[3], 6, 8, {6, 8});
  // Sources are remembered per phase by name: source 0 again (frames 6, 7) adds nothing, since both
  // of its phases made clips before; source 1 (frame 5) is new.
  clips = cut_with_step({0, 0, 0, 0, 0, 1, 0, 0, 2}, ClipRule::motionbert, 3, 2);
  BOOST_TEST_REQUIRE(clips.size() == 3u);
  BOOST_TEST(clips[0] == (ClipFrames{0, 2, 4}));
  check_resampled(clips[1], 1, 3, {1, 3});
  BOOST_TEST(clips[2] == (ClipFrames{5, 5, 5}));
  // WorldPose: a 9-frame video. Phase 0 (0, 2, 4, 6, 8) leaves 6, 8, at least half a clip, resampled;
  // phase 1 (1, 3, 5, 7) leaves 7 alone, dropped.
  clips = cut_with_step(videos({9, 1}), ClipRule::worldpose, 3, 2);
  BOOST_TEST_REQUIRE(clips.size() == 3u);
  BOOST_TEST(clips[0] == (ClipFrames{0, 2, 4}));
  check_resampled(clips[1], 6, 8, {6, 8});
  BOOST_TEST(clips[2] == (ClipFrames{1, 3, 5}));
}

BOOST_AUTO_TEST_CASE(same_seed_same_clips) {
  BOOST_TEST(cut(kBoundaryVideos, ClipRule::worldpose, 27, 9) == cut(kBoundaryVideos, ClipRule::worldpose, 27, 9));
  Generator other(8);
  BOOST_TEST(cut(kBoundaryVideos, ClipRule::worldpose, 27, 9) != cut_clips(kBoundaryVideos, {ClipRule::worldpose, 27, 9}, other));
}

BOOST_AUTO_TEST_CASE(rejects_bad_strides_steps_and_names) {
  Generator generator;
  BOOST_CHECK_THROW(cut_clips(kBoundaryVideos, {ClipRule::motionbert, 27, 0}, generator), std::invalid_argument);
  BOOST_CHECK_THROW(cut_clips(kBoundaryVideos, {ClipRule::motionbert, 27, 28}, generator), std::invalid_argument);
  BOOST_CHECK_THROW(cut_clips(kBoundaryVideos, {ClipRule::motionbert, 0, 1}, generator), std::invalid_argument);
  BOOST_CHECK_THROW(cut_clips(kBoundaryVideos, {ClipRule::motionbert, 27, 9, 0}, generator), std::invalid_argument);
  BOOST_TEST((parse_clip_rule("sportspose") == ClipRule::motionbert));
  BOOST_TEST((parse_clip_rule("worldpose") == ClipRule::worldpose));
  BOOST_CHECK_THROW(parse_clip_rule("h36m"), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::data
