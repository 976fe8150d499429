#include "split_builder.h"

#include <algorithm>

namespace kasf::data::testing {
namespace {

// Appends per-video strings as a column: one table entry per distinct value.
void add_column(SplitData& split, const std::string& key, const std::vector<std::string>& per_video,
                const std::vector<int64_t>& lengths) {
  StringColumn& column = split.strings[key];
  for (size_t v = 0; v < lengths.size(); ++v) {
    auto it = std::find(column.table.begin(), column.table.end(), per_video[v]);
    const int32_t id = static_cast<int32_t>(it - column.table.begin());
    if (it == column.table.end()) column.table.push_back(per_video[v]);
    column.index.insert(column.index.end(), lengths[v], id);
  }
}

}  // namespace

SplitData make_split(const SplitSpec& spec) {
  SplitData split;
  for (int64_t length : spec.video_lengths) split.num_frames += length;
  const int64_t n = split.num_frames;
  std::vector<float> joint_2d, joint3d, conf, scaled_3d, factors;
  for (int64_t f = 0; f < n; ++f) {
    factors.push_back(factor(f));
    for (int64_t j = 0; j < 17; ++j) {
      // joint_2d carries an unused third channel, as some source files do.
      joint_2d.insert(joint_2d.end(), {pixel_x(f, j), pixel_y(f, j), -1.0f});
      joint3d.insert(joint3d.end(), {image_x(f, j), image_y(f, j), depth(f, j)});
      conf.push_back(confidence(f, j));
      scaled_3d.insert(scaled_3d.end(), {scaled(f, j, 0), scaled(f, j, 1), scaled(f, j, 2)});
    }
  }
  split.arrays["joint_2d"] = {{n, 17, 3}, joint_2d};
  split.arrays["joint3d_image"] = {{n, 17, 3}, joint3d};
  if (spec.confidence) split.arrays["confidence"] = {{n, 17, 1}, conf};

  std::vector<std::string> sources, actions;
  for (size_t v = 0; v < spec.video_lengths.size(); ++v) {
    sources.push_back("video" + std::to_string(v));
    actions.push_back("action" + std::to_string(v % 2));
  }
  add_column(split, "source", sources, spec.video_lengths);
  if (spec.evaluation_fields) {
    split.arrays["joints_2.5d_image"] = {{n, 17, 3}, scaled_3d};
    split.arrays["2.5d_factor"] = {{n}, factors};
    add_column(split, "action", actions, spec.video_lengths);
  }
  if (!spec.cameras.empty()) add_column(split, "camera_name", spec.cameras, spec.video_lengths);
  if (!spec.resolutions.empty()) {
    std::vector<float> widths, heights;
    for (size_t v = 0; v < spec.video_lengths.size(); ++v) {
      widths.insert(widths.end(), spec.video_lengths[v], spec.resolutions[v].first);
      heights.insert(heights.end(), spec.video_lengths[v], spec.resolutions[v].second);
    }
    split.arrays["res_w"] = {{n}, widths};
    split.arrays["res_h"] = {{n, 1}, heights};
  }
  return split;
}

}  // namespace kasf::data::testing
