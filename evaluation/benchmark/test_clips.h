// The test clips every model of a kasf_eval run is scored on: cut once from a dataset file's test
// split (spec 6.3, test stride = clip length), with each clip's millimetre ground truth prepared
// once, and a fingerprint of the clip list so that stored predictions can be checked against it.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "datasets/clip_dataset.h"
#include "evaluation/poses.h"

namespace kasf::eval {

// What scoring one clip needs besides the prediction (spec 7 step 3).
struct ClipTruth {
  Poses truth_mm;             // label_scaled made root-relative
  std::vector<float> factor;  // 2.5D factor per frame
  double image_width = 0;     // of the clip's first frame
  std::string action;
  double fps = 0;  // of the clip's first frame, 0 when the split has no per-frame `fps`
};

class TestClips {
 public:
  // Cuts `split` with `options` (role test). Throws std::invalid_argument when the split is malformed
  // or gives no clip.
  TestClips(data::SplitData split, const data::ClipDatasetOptions& options);

  int64_t size() const { return static_cast<int64_t>(truth_.size()); }
  int64_t clip_length() const { return dataset_->clip_length(); }
  data::ClipRule rule() const { return dataset_->options().cutting.rule; }
  int64_t frame_step() const { return dataset_->options().cutting.frame_step; }
  const data::ClipDataset& dataset() const { return *dataset_; }
  const ClipTruth& truth(int64_t clip) const { return truth_.at(clip); }
  // The split's video (source) index of a frame.
  int32_t video_of_frame(int64_t frame) const { return dataset_->video_of_frame().at(frame); }
  // 16 hex digits of the FNV-1a hash of the clip length and every clip's frame indices.
  const std::string& fingerprint() const { return fingerprint_; }

 private:
  std::unique_ptr<data::ClipDataset> dataset_;
  std::vector<ClipTruth> truth_;
  std::string fingerprint_;
};

// A dataset file's test split, and its clips for each clip length asked for (models of different
// lengths are scored on their own clips; all models of one length on the same ones).
class TestData {
 public:
  // Throws naming the file when it cannot be read or has no test split, or when the split is empty.
  // Clips take every `frame_step`-th frame of their source (datasets/clips.h).
  TestData(const std::string& path, data::ClipRule rule, int64_t frame_step);

  const std::string& path() const { return path_; }
  data::ClipRule rule() const { return rule_; }
  int64_t frames() const { return split_.num_frames; }
  // "det" when the test split carries detector `confidence`, else "gt" (the no_conf files).
  std::string source_2d() const;
  // The `fps` attribute of the file's root or of its test group, when present.
  const std::optional<double>& fps() const { return fps_; }
  // Cut on first use; errors name the file.
  const TestClips& clips(int64_t clip_length);

 private:
  std::string path_;
  data::ClipRule rule_;
  int64_t frame_step_;
  data::SplitData split_;
  std::optional<double> fps_;
  std::map<int64_t, std::unique_ptr<TestClips>> clips_;
};

}  // namespace kasf::eval
