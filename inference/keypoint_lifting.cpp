#include "inference/keypoint_lifting.h"

#include <algorithm>
#include <stdexcept>

#include "evaluation/benchmark/progress_line.h"
#include "keypoints/flip_augmentation.h"
#include "keypoints/keypoint_input.h"
#include "keypoints/windowing.h"
#include "models/inference.h"

namespace kasf::inference {
namespace {

constexpr int64_t kChannels = 3;  // (x, y, confidence) in, (x, y, z) out
constexpr int64_t kPoseSize = keypoints::kKeypoints * kChannels;

// The model over `count` clips in calls of at most `batch_size` clips, counting them on `progress`.
keypoints::ClipPredictor batched_model(models::PoseLifter& model, int64_t batch_size,
                                       eval::ProgressLine* progress) {
  return [&model, batch_size, progress, done = int64_t{0}](const std::vector<float>& clips, int64_t count) mutable {
    const int64_t frames = model.config().n_frames();
    const int64_t clip_size = frames * kPoseSize;
    std::vector<float> output;
    output.reserve(clips.size());
    for (int64_t first = 0; first < count; first += batch_size) {
      const int64_t n = std::min(batch_size, count - first);
      const std::vector<float> batch(clips.begin() + first * clip_size, clips.begin() + (first + n) * clip_size);
      const std::vector<float> predicted = models::predict_clips(model, batch, n);
      output.insert(output.end(), predicted.begin(), predicted.end());
      done += n;
      if (progress) progress->update(done);
    }
    return output;
  };
}

// Every joint minus the pelvis (joint 0) of its frame.
void zero_root(std::vector<float>& poses) {
  for (size_t pose = 0; pose < poses.size(); pose += kPoseSize) {
    const float root[kChannels] = {poses[pose], poses[pose + 1], poses[pose + 2]};
    for (int64_t i = 0; i < kPoseSize; ++i) poses[pose + i] -= root[i % kChannels];
  }
}

}  // namespace

keypoints::PoseOutput lift_keypoints(models::PoseLifter& model, const keypoints::KeypointSequence& h36m,
                                     const LiftingOptions& options) {
  if (options.batch_size < 1) throw std::invalid_argument("batch size must be at least 1");
  if (options.frame_step < 1) throw std::invalid_argument("frame step must be at least 1");
  if (!(options.image.width > 0) || !(options.image.height > 0))
    throw std::invalid_argument("image width and height must be positive");
  const int64_t clip_length = model.config().n_frames();
  const int64_t clips =
      static_cast<int64_t>(keypoints::plan_windows(h36m.frames, clip_length, 0, options.frame_step).size());
  eval::ProgressLine progress("lifting", clips * (options.flip ? 2 : 1));

  keypoints::ClipPredictor predict = batched_model(model, options.batch_size, options.progress ? &progress : nullptr);
  if (options.flip) predict = keypoints::with_flip_augmentation(predict, kChannels, kChannels);
  const std::vector<float> input = keypoints::model_input(h36m, options.image);

  keypoints::PoseOutput poses;
  poses.frames = h36m.frames;
  poses.xyz =
      keypoints::predict_sequence(input, {h36m.frames, kChannels, kChannels}, clip_length, predict, 0, options.frame_step);
  zero_root(poses.xyz);
  poses.fps = options.fps;
  if (options.progress) progress.finish();
  return poses;
}

void check_scale(const MetricScale& scale) {
  const bool camera = scale.focal_px || scale.distance_mm;
  if (camera && !(scale.focal_px && scale.distance_mm))
    throw std::invalid_argument("a camera scale needs both the focal length and the subject distance");
  if (camera && scale.subject_height_mm)
    throw std::invalid_argument("give either a camera (focal length and distance) or the subject height, not both");
}

keypoints::PoseOutput apply_scale(keypoints::PoseOutput poses, const MetricScale& scale, double image_width) {
  check_scale(scale);
  if (scale.focal_px) return keypoints::scale_by_camera(std::move(poses), image_width, *scale.focal_px, *scale.distance_mm);
  if (scale.subject_height_mm) return keypoints::scale_by_skeleton_height(std::move(poses), *scale.subject_height_mm);
  return poses;
}

}  // namespace kasf::inference
