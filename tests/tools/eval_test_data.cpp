#include "eval_test_data.h"

#include <cmath>

#include "framework/io/hdf5.h"

namespace kasf::test {
namespace {

constexpr int64_t kStaticVideoStart = 29, kStaticVideoEnd = 34;

double pixel_u(int64_t f, int64_t j) { return 500 + 12.0 * j + 3.0 * f + 10 * std::sin(0.3 * f + j); }
double pixel_v(int64_t f, int64_t j) { return 300 + 9.0 * j * (j % 3) + 2.0 * f + 8 * std::cos(0.2 * f + 2 * j); }
double depth_mm(int64_t f, int64_t j) { return 40 * std::cos(j + 0.2 * f) + 5.0 * j; }

data::StringColumn strings(std::vector<std::string> table, const std::vector<int32_t>& first_frames) {
  data::StringColumn column{std::move(table), {}};
  for (int64_t f = 0; f < kFrames; ++f) {
    int32_t value = 0;
    while (value + 1 < static_cast<int32_t>(first_frames.size()) && f >= first_frames[value + 1]) ++value;
    column.index.push_back(value);
  }
  return column;
}

}  // namespace

double detection_u(int64_t f, int64_t joint) { return pixel_u(f, joint) + 1.5; }
double detection_v(int64_t f, int64_t joint) { return pixel_v(f, joint) - 1.5; }

int64_t clip_frame(int64_t clip, int64_t t) {
  constexpr std::array<int64_t, kClips> starts{0, 9, 18, kStaticVideoStart, 34};
  return clip == 3 ? kStaticVideoStart : starts[clip] + t;
}

int64_t pose_frame(int64_t frame) {
  return frame >= kStaticVideoStart && frame < kStaticVideoEnd ? kStaticVideoStart : frame;
}

double factor(int64_t frame) { return 2.0 + 0.01 * pose_frame(frame); }

double label_scaled(int64_t frame, int64_t joint, int64_t c) {
  const int64_t f = pose_frame(frame);
  return c == 0 ? pixel_u(f, joint) * factor(f) : c == 1 ? pixel_v(f, joint) * factor(f) : depth_mm(f, joint);
}

data::SplitData make_test_split(const SplitOptions& options) {
  const int64_t joints = options.joints;
  data::SplitData split;
  split.num_frames = kFrames;
  data::FloatArray joint_2d{{kFrames, joints, 2}, {}}, joint3d{{kFrames, joints, 3}, {}},
      scaled{{kFrames, joints, 3}, {}}, confidence{{kFrames, joints}, {}};
  data::FloatArray factors{{kFrames}, {}}, res_w{{kFrames}, {}}, res_h{{kFrames}, {}};
  for (int64_t frame = 0; frame < kFrames; ++frame) {
    const int64_t f = pose_frame(frame);
    for (int64_t j = 0; j < joints; ++j) {
      joint_2d.values.insert(joint_2d.values.end(), {float(detection_u(f, j)), float(detection_v(f, j))});
      joint3d.values.insert(joint3d.values.end(), {float(pixel_u(f, j)), float(pixel_v(f, j)),
                                                   float(depth_mm(f, j) / factor(f))});
      for (int64_t c = 0; c < 3; ++c) scaled.values.push_back(float(label_scaled(frame, j, c)));
      confidence.values.push_back(0.9f);
    }
    factors.values.push_back(float(factor(frame)));
    res_w.values.push_back(float(kImageWidth));
    res_h.values.push_back(float(kImageHeight));
  }
  split.arrays = {{"joint_2d", joint_2d}, {"joint3d_image", joint3d}, {"joints_2.5d_image", scaled},
                  {"confidence", confidence}, {"2.5d_factor", factors}, {"res_w", res_w}, {"res_h", res_h}};
  split.strings = {{"source", strings({"video0", "video1", "video2"}, {0, 29, 34})},
                   {"action", strings({"jump", "run"}, {0, 29})}};
  return split;
}

std::vector<float> predictions_for_truth(double jump_offset_mm, double run_offset_mm) {
  std::vector<float> values;
  for (int64_t clip = 0; clip < kClips; ++clip) {
    const double offset = in_jump(clip) ? jump_offset_mm : run_offset_mm;
    for (int64_t t = 0; t < kClipLength; ++t) {
      const int64_t frame = clip_frame(clip, t);
      const double scale = kImageWidth / 2 * factor(frame);
      for (int64_t j = 0; j < 17; ++j)
        for (int64_t c = 0; c < 3; ++c) {
          const double mm = label_scaled(frame, j, c) - label_scaled(frame, 0, c) + (j > 0 && c == 0 ? offset : 0);
          values.push_back(float(mm / scale));
        }
    }
  }
  return values;
}

void write_predictions(const std::string& path, const std::vector<float>& values, int64_t clips, int64_t joints,
                       const PredictionsAttributes& attributes) {
  io::h5::Handle file = io::h5::create_file(path);
  io::h5::write_floats(file.id(), "predictions", {clips, attributes.clip_length, joints, 3}, values.data());
  io::h5::write_attribute(file.id(), "format", std::string("kasf-predictions"));
  io::h5::write_attribute(file.id(), "format_version", int64_t{1});
  io::h5::write_attribute(file.id(), "clip_length", attributes.clip_length);
  io::h5::write_attribute(file.id(), "clip_rule", attributes.clip_rule);
  io::h5::write_attribute(file.id(), "test_frames", attributes.test_frames);
  if (!attributes.fingerprint.empty()) io::h5::write_attribute(file.id(), "clip_fingerprint", attributes.fingerprint);
}

}  // namespace kasf::test
