// The evaluation fields of pre-cut test clips, taken from the per-frame split they were cut from.
//
// AthletePose3D's (and MotionBERT's) clip files hold only data_input and data_label; the official
// evaluation finds each test clip's millimetre ground truth, 2.5D factor, image size and action by
// cutting the per-frame source again (stride T, MotionBERT rule) and taking the clip's frames. Here
// the same cut gives every clip's frames, which are checked against the clip's own labels, so a clip
// file and a source that do not belong together are an error instead of wrong scores. Clips
// resampled from short videos (by unseeded NumPy in the official preprocessor) are matched frame by
// frame within their video, so they are scored on exactly the frames they show.
#pragma once
#include <map>
#include <string>

#include "datasets/dataset_file.h"

namespace kasf::data {

struct ClipGroundTruth {
  // data_label_scaled (clips, T, 17, 3), data_factor (clips, T), data_res (clips, 2) and, when the
  // source has per-frame `fps` (AthletePose3D), data_fps (clips,); data_frames (clips, T): the source
  // frame each clip frame shows (consecutive in a window, repeating in a resampled clip)
  std::map<std::string, FloatArray> arrays;
  // data_action, data_source and, when the source has camera names, data_env: one per clip
  std::map<std::string, StringColumn> strings;
};

// `labels` are the clips' data_label (clips, T, 17, 3), normalised as the source's joint3d_image
// (spec 6.2, the frame's own image size). `source` is a per-frame test split (joint3d_image,
// joints_2.5d_image, 2.5d_factor, action, source, image sizes). Throws std::invalid_argument naming
// `clips_name` and `source_name` when the clip counts differ or a clip frame matches no source frame.
ClipGroundTruth clip_ground_truth(const FloatArray& labels, const SplitData& source, const std::string& clips_name,
                                  const std::string& source_name);

}  // namespace kasf::data
