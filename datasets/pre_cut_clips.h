// Splits of pre-cut clips (converted from a clip folder such as AthletePose3D's frame_81/, where every
// row is one clip of T frames) seen as T consecutive frame rows per clip under the per-frame keys, so
// that ClipDataset serves them through the same code as source data, without cutting them again.
#pragma once
#include <string>

#include "datasets/dataset_file.h"

namespace kasf::data {

// The clip-file keys and the per-frame keys they become (docs/datasets.md, "Pre-cut clips"):
//   data_input (clips, T, 17, 3)        -> joint_2d: normalised x, y and the confidence, as stored
//   data_label (clips, T, 17, 3)        -> joint3d_image: normalised x, y, z
//   data_label_scaled (clips, T, 17, 3) -> joints_2.5d_image (mm)
//   data_factor (clips, T)              -> 2.5d_factor
//   data_res (clips, 2)                 -> res_w, res_h of every frame of the clip
//   data_fps (clips,), when present     -> fps of every frame of the clip
//   data_frames (clips, T), when present -> source_frame: the frame of the source the row shows
//   data_action, data_env, data_source  -> action, camera_name, source of every frame of the clip
// Without data_source every clip is its own source. The evaluation keys are required when
// `with_evaluation` (a test split); their absence is an error saying how to attach them.
// Throws naming the split, key and shape; `clip_length` must equal the clips' T.
SplitData pre_cut_frame_rows(SplitData split, const std::string& split_name, int64_t clip_length,
                             bool with_evaluation);

}  // namespace kasf::data
