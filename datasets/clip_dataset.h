// The clips of one split of a source data set, ready for the model (spec 6.3): every clip is cut
// once at construction, and its normalised arrays are built on demand, so memory stays at the
// size of the source arrays whatever the clip stride.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "datasets/clips.h"
#include "datasets/dataset_file.h"
#include "datasets/normalize.h"

namespace kasf::data {

enum class SplitRole { train, test };
const char* split_role_name(SplitRole role);  // "train", "test"

// The official strides: a third of a clip for training, whole clips (no overlap) for testing.
int64_t default_stride(int64_t clip_length, SplitRole role);

struct ClipDatasetOptions {
  SplitRole role = SplitRole::train;
  ClipCutting cutting{};
  // Input x, y from `joint3d_image` with confidence 1 (MotionBERT's gt_2d) instead of `joint_2d`
  // with `confidence` (or 1 when the split has none).
  bool ground_truth_2d = false;
  std::optional<ImageSize> image_size{};  // overrides the per-frame sizes of frame_image_sizes
  uint64_t resample_seed = 0;             // for the short segments' resampling
};

// What the evaluation needs besides the prediction (test split only).
struct ClipEvaluation {
  std::vector<float> label_scaled;  // (T, 17, 3) `joints_2.5d_image`, mm, not root-relative
  std::vector<float> factor;        // (T,) `2.5d_factor`, mm per pixel
  ImageSize image_size;             // of the clip's first frame, for de-normalisation
  std::string action;
  std::string environment;          // `camera_name`; empty when the split has none
  double fps = 0;                   // the clip's first frame's `fps` (AthletePose3D); 0 when the split has none
};

struct Clip {
  std::vector<float> input;  // (T, 17, 3): normalised x, y and the confidence
  std::vector<float> label;  // (T, 17, 3): normalised x, y, z; root-relative in the train split
  std::optional<ClipEvaluation> evaluation;
};

class ClipDataset {
 public:
  // Takes the split's data (move it in); throws naming the split, key and shape on missing or
  // misshapen fields, and for a test clip spanning two actions or environments. A split of pre-cut
  // clips (clip_length != 0) is used clip by clip as stored, without cutting: its clip length must
  // be `options.cutting.clip_length`, the strides do not apply, and a frame step other than 1 throws.
  ClipDataset(SplitData split, const ClipDatasetOptions& options);
  ClipDataset(const ClipDataset&) = delete;
  ClipDataset& operator=(const ClipDataset&) = delete;

  int64_t size() const { return static_cast<int64_t>(clips_.size()); }
  int64_t clip_length() const { return options_.cutting.clip_length; }
  SplitRole role() const { return options_.role; }
  const ClipDatasetOptions& options() const { return options_; }
  // Frame rows of the split; for pre-cut clips, clip c is rows c*T .. c*T + T - 1.
  const ClipFrames& frames(int64_t clip) const { return clips_.at(clip); }
  // The source (video) index of every frame row; pre-cut clips without `data_source` are each their own.
  const std::vector<int32_t>& video_of_frame() const { return video_of_frame_; }
  // Whether the clip shows source frames a frame step apart (a window), not a resampled segment. Pre-cut
  // clips know it from their `data_frames`; without them they count as windows.
  bool evenly_sampled(int64_t clip) const;
  // Safe to call from several threads at once.
  Clip get(int64_t clip) const;

 private:
  void check_one_value_per_clip(const StringColumn* column, const char* key) const;
  ClipEvaluation evaluation(const ClipFrames& frames) const;

  SplitData split_;
  ClipDatasetOptions options_;
  bool pre_cut_ = false;  // the split held clips (pre_cut_clips.h), used as they are
  std::vector<ImageSize> image_sizes_;
  std::vector<int32_t> video_of_frame_;
  std::vector<ClipFrames> clips_;
  // Validated fields of split_ (map nodes do not move).
  const FloatArray* points_2d_ = nullptr;
  const std::vector<float>* confidence_ = nullptr;
  const FloatArray* joint3d_image_ = nullptr;
  const FloatArray* label_scaled_ = nullptr;
  const std::vector<float>* factor_ = nullptr;
  const StringColumn* action_ = nullptr;
  const StringColumn* environment_ = nullptr;
  const std::vector<float>* fps_ = nullptr;
  const std::vector<float>* source_frame_ = nullptr;  // pre-cut clips with data_frames
};

}  // namespace kasf::data
