#include "datasets/clip_dataset.h"

#include <algorithm>
#include <stdexcept>

#include "datasets/image_size.h"
#include "datasets/pose_layout.h"
#include "datasets/pre_cut_clips.h"
#include "datasets/split_fields.h"

namespace kasf::data {
namespace {

// Offset of (frame, joint) in a (N, 17, C) array.
size_t joint_offset(const FloatArray& array, int64_t frame, int64_t joint) {
  return static_cast<size_t>((frame * kNumJoints + joint) * array.shape[2]);
}

}  // namespace

const char* split_role_name(SplitRole role) { return role == SplitRole::train ? "train" : "test"; }

int64_t default_stride(int64_t clip_length, SplitRole role) {
  return role == SplitRole::train ? std::max<int64_t>(clip_length / 3, 1) : clip_length;
}

ClipDataset::ClipDataset(SplitData split, const ClipDatasetOptions& options)
    : split_(std::move(split)), options_(options) {
  const std::string name = split_role_name(options_.role);
  pre_cut_ = split_.clip_length != 0;
  if (pre_cut_ && options_.cutting.frame_step != 1)
    throw std::invalid_argument("split '" + name + "' holds pre-cut clips of " + std::to_string(split_.clip_length) +
                                " frames, used as stored: frame step " + std::to_string(options_.cutting.frame_step) +
                                " cannot apply (set it to 1)");
  if (pre_cut_)
    split_ = pre_cut_frame_rows(std::move(split_), name, options_.cutting.clip_length,
                                options_.role == SplitRole::test);
  joint3d_image_ = &joint_array(split_, name, "joint3d_image", 3);
  if (options_.ground_truth_2d) {
    points_2d_ = joint3d_image_;
  } else {
    points_2d_ = &joint_array(split_, name, "joint_2d", pre_cut_ ? kPoseChannels : 2);
    if (!pre_cut_ && split_.arrays.contains("confidence")) confidence_ = &joint_scalars(split_, name, "confidence");
  }
  if (options_.role == SplitRole::test) {
    label_scaled_ = &joint_array(split_, name, "joints_2.5d_image", 3);
    factor_ = &frame_scalars(split_, name, "2.5d_factor");
    action_ = &frame_strings(split_, name, "action");
    if (split_.strings.contains("camera_name")) environment_ = &frame_strings(split_, name, "camera_name");
    if (split_.arrays.contains("fps")) fps_ = &frame_scalars(split_, name, "fps");
    if (split_.arrays.contains("source_frame")) source_frame_ = &frame_scalars(split_, name, "source_frame");
  }
  // Pre-cut clips are normalised already; only their evaluation needs the image sizes.
  if (!pre_cut_ || options_.role == SplitRole::test)
    image_sizes_ = frame_image_sizes(split_, name, options_.image_size);

  video_of_frame_ = frame_strings(split_, name, "source").index;
  if (pre_cut_) {
    clips_.resize(split_.num_frames / clip_length());
    for (size_t c = 0; c < clips_.size(); ++c)
      for (int64_t t = 0; t < clip_length(); ++t) clips_[c].push_back(static_cast<int64_t>(c) * clip_length() + t);
  } else {
    Generator resampling(options_.resample_seed);
    clips_ = cut_clips(video_of_frame_, options_.cutting, resampling);
  }
  check_one_value_per_clip(action_, "action");
  check_one_value_per_clip(environment_, "camera_name");
}

// The official clip generator asserts this; a clip never crosses a source, so it only fails on
// inconsistent data.
void ClipDataset::check_one_value_per_clip(const StringColumn* column, const char* key) const {
  if (!column) return;
  for (size_t c = 0; c < clips_.size(); ++c) {
    const int32_t first = column->index[clips_[c].front()];
    for (int64_t f : clips_[c])
      if (column->index[f] != first)
        throw std::invalid_argument(std::string(split_role_name(options_.role)) + "/" + key + ": clip " +
                                    std::to_string(c) + " (frames " + std::to_string(clips_[c].front()) + ".." +
                                    std::to_string(clips_[c].back()) + ") has both '" + column->table[first] +
                                    "' and '" + column->table[column->index[f]] + "'");
  }
}

bool ClipDataset::evenly_sampled(int64_t clip) const {
  const ClipFrames& frames = clips_.at(clip);
  auto shown = [&](size_t k) { return source_frame_ ? static_cast<int64_t>((*source_frame_)[frames[k]]) : frames[k]; };
  for (size_t k = 1; k < frames.size(); ++k)
    if (shown(k) != shown(k - 1) + options_.cutting.frame_step) return false;  // 1 for pre-cut clips
  return true;
}

Clip ClipDataset::get(int64_t index) const {
  const ClipFrames& frames = clips_.at(index);
  const int64_t length = clip_length();
  Clip clip;
  clip.input.resize(length * kNumJoints * kPoseChannels);
  clip.label.resize(length * kNumJoints * kPoseChannels);
  // Pre-cut inputs carry their confidence in channel 2 (with ground-truth 2D it is 1).
  const bool stored_confidence = pre_cut_ && !options_.ground_truth_2d;
  for (int64_t t = 0; t < length; ++t) {
    const int64_t f = frames[t];
    float* input = clip.input.data() + t * kNumJoints * kPoseChannels;
    float* label = clip.label.data() + t * kNumJoints * kPoseChannels;
    for (int64_t j = 0; j < kNumJoints; ++j) {
      const float* xy = points_2d_->values.data() + joint_offset(*points_2d_, f, j);
      input[j * kPoseChannels] = xy[0];
      input[j * kPoseChannels + 1] = xy[1];
      input[j * kPoseChannels + 2] = confidence_ ? (*confidence_)[f * kNumJoints + j] : stored_confidence ? xy[2] : 1.0f;
      const float* xyz = joint3d_image_->values.data() + joint_offset(*joint3d_image_, f, j);
      std::copy(xyz, xyz + kPoseChannels, label + j * kPoseChannels);
    }
    if (!pre_cut_) {
      const ImageSize size = image_sizes_[f];
      for (int64_t j = 0; j < kNumJoints; ++j) {
        input[j * kPoseChannels] = normalize_x(input[j * kPoseChannels], size);
        input[j * kPoseChannels + 1] = normalize_y(input[j * kPoseChannels + 1], size);
      }
      normalize_points({label, static_cast<size_t>(kNumJoints * kPoseChannels)}, size);
    }
    if (options_.role == SplitRole::train) {
      const float root[kPoseChannels] = {label[0], label[1], label[2]};
      for (int64_t j = 0; j < kNumJoints; ++j)
        for (int64_t c = 0; c < kPoseChannels; ++c) label[j * kPoseChannels + c] -= root[c];
    }
  }
  if (options_.role == SplitRole::test) clip.evaluation = evaluation(frames);
  return clip;
}

ClipEvaluation ClipDataset::evaluation(const ClipFrames& frames) const {
  ClipEvaluation eval;
  const int64_t first = frames.front();
  eval.image_size = image_sizes_[first];
  eval.action = action_->table[action_->index[first]];
  if (environment_) eval.environment = environment_->table[environment_->index[first]];
  if (fps_) eval.fps = (*fps_)[first];
  for (int64_t f : frames) {
    eval.factor.push_back((*factor_)[f]);
    for (int64_t j = 0; j < kNumJoints; ++j) {
      const float* xyz = label_scaled_->values.data() + joint_offset(*label_scaled_, f, j);
      eval.label_scaled.insert(eval.label_scaled.end(), xyz, xyz + kPoseChannels);
    }
  }
  return eval;
}

}  // namespace kasf::data
