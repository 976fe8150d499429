#include "datasets/pre_cut_clips.h"

#include <stdexcept>

#include "datasets/pose_layout.h"

namespace kasf::data {
namespace {

std::string shape_text(int64_t clips, int64_t clip_length, const std::string& trailing) {
  return "(" + std::to_string(clips) + ", " + std::to_string(clip_length) + trailing + ")";
}

// Moves the (clips, T, ...) array under `from` to `to` as (clips * T, ...), without copying values.
void move_frame_array(SplitData& in, SplitData& out, const std::string& split_name, const std::string& from,
                      const std::string& to, bool per_joint) {
  auto it = in.arrays.find(from);
  if (it == in.arrays.end()) throw std::invalid_argument(split_name + ": missing array '" + from + "'");
  FloatArray array = std::move(it->second);
  const Shape& s = array.shape;
  const bool ok = per_joint ? s.size() == 4 && s[2] == kNumJoints && s[3] == kPoseChannels : s.size() == 2;
  if (!ok || s[0] != in.num_frames || s[1] != in.clip_length)
    throw std::invalid_argument(split_name + "/" + from + ": expected shape " +
                                shape_text(in.num_frames, in.clip_length, per_joint ? ", 17, 3" : "") + ", got " +
                                to_string(s));
  Shape frames{s[0] * s[1]};
  frames.insert(frames.end(), s.begin() + 2, s.end());
  out.arrays[to] = {frames, std::move(array.values)};
}

// The clip's label repeated for each of its frames.
void move_clip_strings(SplitData& in, SplitData& out, const std::string& split_name, const std::string& from,
                       const std::string& to) {
  StringColumn column = std::move(in.strings.at(from));
  if (static_cast<int64_t>(column.index.size()) != in.num_frames)
    throw std::invalid_argument(split_name + "/" + from + ": " + std::to_string(column.index.size()) +
                                " entries for " + std::to_string(in.num_frames) + " clips");
  StringColumn& rows = out.strings[to];
  rows.table = std::move(column.table);
  for (int32_t value : column.index) rows.index.insert(rows.index.end(), in.clip_length, value);
}

// Column `column` of the per-clip array `from` (clips, columns), repeated for each frame of the clip, as `to`.
void move_clip_values(const SplitData& in, SplitData& out, const std::string& split_name, const std::string& from,
                      int64_t columns, int64_t column, const std::string& to) {
  auto it = in.arrays.find(from);
  if (it == in.arrays.end()) throw std::invalid_argument(split_name + ": missing array '" + from + "'");
  const FloatArray& per_clip = it->second;
  const Shape expected = columns == 1 ? Shape{in.num_frames} : Shape{in.num_frames, columns};
  if (per_clip.shape != expected)
    throw std::invalid_argument(split_name + "/" + from + ": expected shape " + to_string(expected) + ", got " +
                                to_string(per_clip.shape));
  FloatArray& rows = out.arrays[to];
  rows.shape = {out.num_frames};
  for (int64_t clip = 0; clip < in.num_frames; ++clip)
    rows.values.insert(rows.values.end(), in.clip_length, per_clip.values[clip * columns + column]);
}

}  // namespace

SplitData pre_cut_frame_rows(SplitData split, const std::string& split_name, int64_t clip_length,
                             bool with_evaluation) {
  if (split.clip_length != clip_length)
    throw std::invalid_argument(split_name + ": holds pre-cut clips of " + std::to_string(split.clip_length) +
                                " frames, not " + std::to_string(clip_length) +
                                " (the clip length must be the clips' own)");
  SplitData rows;
  rows.clip_length = split.clip_length;
  rows.num_frames = split.num_frames * split.clip_length;
  move_frame_array(split, rows, split_name, "data_input", "joint_2d", true);
  move_frame_array(split, rows, split_name, "data_label", "joint3d_image", true);
  if (with_evaluation) {
    try {
      move_frame_array(split, rows, split_name, "data_label_scaled", "joints_2.5d_image", true);
      move_frame_array(split, rows, split_name, "data_factor", "2.5d_factor", false);
      move_clip_values(split, rows, split_name, "data_res", 2, 0, "res_w");
      move_clip_values(split, rows, split_name, "data_res", 2, 1, "res_h");
      if (!split.strings.contains("data_action"))
        throw std::invalid_argument(split_name + ": missing string column 'data_action'");
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string(e.what()) +
                                  "; pre-cut test clips are scored with their millimetre ground truth, which "
                                  "kasf_convert attaches when the split's per-frame source is given too "
                                  "(--dataset CLIPDIR --dataset test=valid.pkl)");
    }
    move_clip_strings(split, rows, split_name, "data_action", "action");
    if (split.strings.contains("data_env")) move_clip_strings(split, rows, split_name, "data_env", "camera_name");
    if (split.arrays.contains("data_frames"))
      move_frame_array(split, rows, split_name, "data_frames", "source_frame", false);
    if (split.arrays.contains("data_fps")) move_clip_values(split, rows, split_name, "data_fps", 1, 0, "fps");
  }
  if (split.strings.contains("data_source")) {
    move_clip_strings(split, rows, split_name, "data_source", "source");
  } else {
    StringColumn& source = rows.strings["source"];
    for (int64_t clip = 0; clip < split.num_frames; ++clip) {
      source.table.push_back(std::to_string(clip));
      source.index.insert(source.index.end(), split.clip_length, static_cast<int32_t>(clip));
    }
  }
  return rows;
}

}  // namespace kasf::data
