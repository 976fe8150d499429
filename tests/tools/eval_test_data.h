// A tiny test split for the kasf_eval tests, with every value a formula of (frame, joint) so that
// the tests can state the clips and their ground truth without running the code under test.
//
// 46 frames at 1000 x 800 px, clips of 9 frames (the fixture models), MotionBERT rule, stride 9:
//   video0, action "jump", frames 0..28  -> windows 0..8, 9..17, 18..26 (frames 27, 28 dropped)
//   video1, action "run",  frames 29..33 -> one clip resampled from 5 frames; every frame of this
//                                           video holds the same pose, so any resampling gives it
//   video2, action "run",  frames 34..45 -> window 34..42 (frames 43..45 dropped)
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "datasets/dataset_file.h"

namespace kasf::test {

inline constexpr int64_t kFrames = 46;
inline constexpr int64_t kClipLength = 9;
inline constexpr double kImageWidth = 1000, kImageHeight = 800;

inline constexpr int64_t kClips = 5;
inline bool in_jump(int64_t clip) { return clip < 3; }
// The frame at position t of a test clip, in clip order (clip 3, resampled from the static video,
// shows frame 29's pose throughout).
int64_t clip_frame(int64_t clip, int64_t t);

// The frame whose pose frame f shows (video1 repeats one pose).
int64_t pose_frame(int64_t frame);
double factor(int64_t frame);
// joint_2d of the pose frame f: the projection 1.5 px off.
double detection_u(int64_t f, int64_t joint);
double detection_v(int64_t f, int64_t joint);
// joints_2.5d_image (mm, not root-relative), channel c.
double label_scaled(int64_t frame, int64_t joint, int64_t c);

struct SplitOptions {
  int64_t joints = 17;  // anything else makes a malformed file
};
data::SplitData make_test_split(const SplitOptions& options = {});

// The normalised model output whose millimetre, root-relative poses (spec 7 steps 2-3) equal the
// ground truth plus `offset_mm` (x) on every joint but the root, for every test clip in order:
// (kClips, 9, 17, 3). P[t, j] = (L[t, j] - L[t, 0] + offset) / (w / 2 * factor_t).
std::vector<float> predictions_for_truth(double jump_offset_mm, double run_offset_mm);

// A predictions file in the documented layout (what the Python snippet of docs/evaluation.md writes).
struct PredictionsAttributes {
  int64_t clip_length = kClipLength;
  int64_t test_frames = kFrames;
  std::string clip_rule = "motionbert";
  std::string fingerprint{};  // none when empty
};
void write_predictions(const std::string& path, const std::vector<float>& values, int64_t clips, int64_t joints,
                       const PredictionsAttributes& attributes = {});

}  // namespace kasf::test
