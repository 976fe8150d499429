#include "datasets/clip_ground_truth.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "datasets/clips.h"
#include "datasets/image_size.h"
#include "datasets/pose_layout.h"
#include "datasets/split_fields.h"

namespace kasf::data {
namespace {

constexpr int64_t kPoseValues = kNumJoints * kPoseChannels;

// The clip file stores float32 labels normalised by NumPy, the source float32 pixels normalised here
// in double: equal frames agree to a few float32 ulps, different frames differ by far more.
bool same_pose(const float* a, const float* b) {
  for (int64_t i = 0; i < kPoseValues; ++i)
    if (std::abs(a[i] - b[i]) > 1e-4f * std::max(1.0f, std::abs(b[i]))) return false;
  return true;
}

double squared_distance(const float* a, const float* b) {
  double sum = 0;
  for (int64_t i = 0; i < kPoseValues; ++i) sum += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
  return sum;
}

// The source's labels normalised per frame, (N, 17, 3), as the clip files hold them.
std::vector<float> normalized_labels(const SplitData& source, const std::string& name) {
  const FloatArray& image = joint_array(source, name, "joint3d_image", kPoseChannels);
  const std::vector<ImageSize> sizes = frame_image_sizes(source, name, std::nullopt);
  std::vector<float> labels(source.num_frames * kPoseValues);
  for (int64_t f = 0; f < source.num_frames; ++f) {
    for (int64_t j = 0; j < kNumJoints; ++j)
      for (int64_t c = 0; c < kPoseChannels; ++c)
        labels[(f * kNumJoints + j) * kPoseChannels + c] = image.values[(f * kNumJoints + j) * image.shape[2] + c];
    normalize_points({labels.data() + f * kPoseValues, static_cast<size_t>(kPoseValues)}, sizes[f]);
  }
  return labels;
}

// [first, last] frame of the video that holds `frame`.
std::pair<int64_t, int64_t> video_range(const std::vector<int32_t>& video_of_frame, int64_t frame) {
  int64_t first = frame, last = frame;
  while (first > 0 && video_of_frame[first - 1] == video_of_frame[frame]) --first;
  while (last + 1 < static_cast<int64_t>(video_of_frame.size()) && video_of_frame[last + 1] == video_of_frame[frame])
    ++last;
  return {first, last};
}

class StringsPerClip {
 public:
  explicit StringsPerClip(const StringColumn& frames) : frames_(frames) { column_.table = frames.table; }
  void add(int64_t frame) { column_.index.push_back(frames_.index[frame]); }
  StringColumn take() { return std::move(column_); }

 private:
  const StringColumn& frames_;
  StringColumn column_;
};

}  // namespace

ClipGroundTruth clip_ground_truth(const FloatArray& labels, const SplitData& source, const std::string& clips_name,
                                  const std::string& source_name) {
  const std::string name = source_name + " split 'test'";
  const Shape& shape = labels.shape;
  if (shape.size() != 4 || shape[2] != kNumJoints || shape[3] != kPoseChannels)
    throw std::invalid_argument(clips_name + "/data_label: expected shape (clips, T, 17, 3), got " + to_string(shape));
  const int64_t clips = shape[0], length = shape[1];
  const FloatArray& scaled = joint_array(source, name, "joints_2.5d_image", kPoseChannels);
  const std::vector<float>& factor = frame_scalars(source, name, "2.5d_factor");
  const StringColumn& videos = frame_strings(source, name, "source");
  const std::vector<ImageSize> sizes = frame_image_sizes(source, name, std::nullopt);
  const std::vector<float> source_labels = normalized_labels(source, name);

  // The official evaluation's cut: test stride T, MotionBERT rule.
  Generator unused_resampling(0);
  const std::vector<ClipFrames> cut =
      cut_clips(videos.index, {ClipRule::motionbert, length, length}, unused_resampling);
  if (static_cast<int64_t>(cut.size()) != clips)
    throw std::invalid_argument(clips_name + " holds " + std::to_string(clips) + " clips of " +
                                std::to_string(length) + " frames, but " + name + " gives " +
                                std::to_string(cut.size()) + " (stride " + std::to_string(length) +
                                ", MotionBERT rule): the clips were not cut from this source");

  ClipGroundTruth truth;
  FloatArray& label_scaled = truth.arrays["data_label_scaled"];
  FloatArray& factors = truth.arrays["data_factor"];
  FloatArray& resolution = truth.arrays["data_res"];
  FloatArray& shown = truth.arrays["data_frames"];
  shown.shape = {clips, length};
  label_scaled.shape = {clips, length, kNumJoints, kPoseChannels};
  factors.shape = {clips, length};
  resolution.shape = {clips, 2};
  StringsPerClip actions(frame_strings(source, name, "action")), sources(videos);
  const std::vector<float>* fps = source.arrays.contains("fps") ? &frame_scalars(source, name, "fps") : nullptr;
  if (fps) truth.arrays["data_fps"].shape = {clips};
  std::optional<StringsPerClip> environments;
  if (source.strings.contains("camera_name")) environments.emplace(frame_strings(source, name, "camera_name"));

  for (int64_t c = 0; c < clips; ++c) {
    const auto [first, last] = video_range(videos.index, cut[c].front());
    for (int64_t t = 0; t < length; ++t) {
      const float* clip_label = labels.values.data() + (c * length + t) * kPoseValues;
      int64_t frame = cut[c][t];
      if (!same_pose(clip_label, source_labels.data() + frame * kPoseValues)) {
        // A resampled clip took other frames of its video: the nearest one, if it is the same pose.
        double best = std::numeric_limits<double>::infinity();
        for (int64_t f = first; f <= last; ++f)
          if (double d = squared_distance(clip_label, source_labels.data() + f * kPoseValues); d < best) {
            best = d;
            frame = f;
          }
        if (!same_pose(clip_label, source_labels.data() + frame * kPoseValues))
          throw std::invalid_argument(clips_name + " clip " + std::to_string(c) + " frame " + std::to_string(t) +
                                      ": data_label matches no frame of " + name + " video '" +
                                      videos.table[videos.index[first]] + "' (frames " + std::to_string(first) +
                                      ".." + std::to_string(last) + "): the clips were not cut from this source");
      }
      for (int64_t j = 0; j < kNumJoints; ++j)
        for (int64_t k = 0; k < kPoseChannels; ++k)
          label_scaled.values.push_back(scaled.values[(frame * kNumJoints + j) * scaled.shape[2] + k]);
      factors.values.push_back(factor[frame]);
      shown.values.push_back(static_cast<float>(frame));
    }
    const int64_t head = cut[c].front();
    resolution.values.push_back(static_cast<float>(sizes[head].width));
    resolution.values.push_back(static_cast<float>(sizes[head].height));
    if (fps) truth.arrays["data_fps"].values.push_back((*fps)[head]);
    actions.add(head);
    sources.add(head);
    if (environments) environments->add(head);
  }
  truth.strings["data_action"] = actions.take();
  truth.strings["data_source"] = sources.take();
  if (environments) truth.strings["data_env"] = environments->take();
  return truth;
}

}  // namespace kasf::data
