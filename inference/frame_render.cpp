#include "inference/frame_render.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "inference/skeleton_view.h"
#include "reporting/png_writer.h"

namespace kasf::inference {
namespace {

constexpr reporting::Color kBackground{255, 255, 255}, kFrameLine{200, 200, 200}, kText{0, 0, 0};
constexpr double kMargin = 0.06;  // of the panel, around the drawing
constexpr int64_t kPoseSize = keypoints::kKeypoints * 3;

void outline(reporting::Image& image, int x0, int y0, int x1, int y1) {
  image.line(x0, y0, x1, y0, kFrameLine);
  image.line(x1, y0, x1, y1, kFrameLine);
  image.line(x1, y1, x0, y1, kFrameLine);
  image.line(x0, y1, x0, y0, kFrameLine);
}

// The 2D panel: image pixels scaled to fit the panel's inner square, centred.
void draw_input(reporting::Image& image, const keypoints::KeypointSequence& h36m, int64_t frame,
                data::ImageSize size, int panel) {
  const double inner = panel * (1 - 2 * kMargin);
  const double scale = inner / std::max(size.width, size.height);
  const std::array<double, 2> origin{(panel - scale * size.width) / 2, (panel - scale * size.height) / 2};
  outline(image, static_cast<int>(origin[0]), static_cast<int>(origin[1]),
          static_cast<int>(origin[0] + scale * size.width), static_cast<int>(origin[1] + scale * size.height));
  ScreenPose points;
  std::array<bool, 17> uncertain{};
  for (int64_t j = 0; j < keypoints::kKeypoints; ++j) {
    const float* k = h36m.keypoint(frame, j);
    points[j] = {k[0], k[1]};
    uncertain[j] = !(k[2] > 0);
  }
  draw_skeleton(image, points, origin, scale, uncertain);
}

// The largest distance of any viewed joint from the pelvis over the sequence: one scale for all
// frames, so that the skeleton does not pulse.
double view_extent(const keypoints::PoseOutput& poses, const RenderOptions& options) {
  double extent = 0;
  for (int64_t t = 0; t < poses.frames; ++t)
    for (const auto& p : orthographic_view(poses.xyz.data() + t * kPoseSize, options.azimuth_deg, options.elevation_deg))
      extent = std::max({extent, std::abs(p[0]), std::abs(p[1])});
  return extent > 0 ? extent : 1;
}

}  // namespace

std::string frame_file_name(int64_t frame) {
  char name[32];
  std::snprintf(name, sizeof name, kFrameFilePattern, static_cast<int>(frame));
  return name;
}

void render_frames(const std::string& dir, const keypoints::KeypointSequence& h36m, data::ImageSize image,
                   const keypoints::PoseOutput& poses, const RenderOptions& options) {
  if (h36m.frames != poses.frames)
    throw std::invalid_argument("render: " + std::to_string(h36m.frames) + " keypoint frames but " +
                                std::to_string(poses.frames) + " pose frames");
  if (options.panel_size < 64) throw std::invalid_argument("render: the panel must be at least 64 pixels");
  const int panel = options.panel_size;
  const double scale_3d = panel * (0.5 - kMargin) / view_extent(poses, options);
  const std::string title_3d = "3D (" + poses.units + ")";
  std::filesystem::create_directories(dir);
  for (int64_t t = 0; t < poses.frames; ++t) {
    reporting::Image frame(2 * panel, panel, kBackground);
    draw_input(frame, h36m, t, image, panel);
    draw_skeleton(frame, orthographic_view(poses.xyz.data() + t * kPoseSize, options.azimuth_deg, options.elevation_deg),
                  {1.5 * panel, 0.5 * panel}, scale_3d);
    frame.line(panel, 0, panel, panel - 1, kFrameLine);
    frame.text(6, 6, "2D INPUT", kText);
    frame.text(panel + 6, 6, title_3d, kText);
    frame.text(6, panel - 6 - reporting::Image::text_height(), "FRAME " + std::to_string(t), kText);
    reporting::write_png((std::filesystem::path(dir) / frame_file_name(t)).string(), frame);
  }
}

}  // namespace kasf::inference
