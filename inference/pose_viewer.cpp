#include "inference/pose_viewer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "evaluation/kinematics/joint_angles.h"
#include "evaluation/kinematics/joint_speeds.h"
#include "reporting/axis_ticks.h"
#include "reporting/html_page.h"
#include "reporting/page_data.h"
#include "reporting/svg_plot.h"

namespace kasf::inference {
namespace {

using nlohmann::ordered_json;
constexpr int64_t kJoints = keypoints::kKeypoints;

// Knee and elbow angles, and wrist and ankle speeds (NaN at frame 0, where there is no previous frame).
std::vector<std::string> kinematic_plots(const keypoints::PoseOutput& poses) {
  const eval::Poses sequence{poses.frames, poses.xyz};
  std::vector<double> frames;
  for (int64_t t = 0; t < poses.frames; ++t) frames.push_back(static_cast<double>(t));
  const char* colors[] = {"#d62728", "#1f77b4", "#ff7f0e", "#17becf"};
  reporting::PlotPanel angles("Joint angles", "frame", "angle (degrees, 180 = straight)", {});
  for (size_t i = 0; i < 4; ++i) {
    const eval::AngleDefinition& angle = eval::joint_angle_definitions()[i];
    std::string name = angle.name;
    std::replace(name.begin(), name.end(), '_', ' ');
    angles.series.push_back({name, colors[i], eval::joint_angle_series(sequence, angle)});
  }
  const bool timed = poses.fps > 0;
  reporting::PlotPanel speeds("Joint speeds", "frame", "speed (" + poses.units + (timed ? " per second)" : " per frame)"),
                              {});
  const std::pair<const char*, int64_t> speed_joints[] = {{"right wrist", 16}, {"left wrist", 13},
                                                           {"right ankle", 3}, {"left ankle", 6}};
  for (size_t i = 0; i < 4; ++i) {
    std::vector<double> speed = {std::numeric_limits<double>::quiet_NaN()};
    for (double v : eval::joint_speed_series(sequence, speed_joints[i].second, timed ? poses.fps : 1)) speed.push_back(v);
    speeds.series.push_back({speed_joints[i].first, colors[i], speed});
  }
  std::vector<std::string> plots;
  for (reporting::PlotPanel* panel : {&angles, &speeds}) {
    panel->cursor = true;
    panel->width = 560;
    plots.push_back(reporting::svg_plot(frames, *panel));
  }
  return plots;
}

}  // namespace

void write_pose_viewer(const std::string& path, const PoseViewerInput& input) {
  const keypoints::PoseOutput& poses = input.poses;
  const bool with_2d = input.keypoints_2d.frames > 0;
  if (with_2d && input.keypoints_2d.frames != poses.frames)
    throw std::invalid_argument("pose viewer: " + std::to_string(input.keypoints_2d.frames) + " frames of 2D keypoints for " +
                                std::to_string(poses.frames) + " frames of poses");
  const double extent = reporting::largest_magnitude(poses.xyz);
  double ground = -std::numeric_limits<double>::infinity();  // the lowest point: y points down
  for (size_t i = 1; i < poses.xyz.size(); i += 3)
    if (std::isfinite(poses.xyz[i])) ground = std::max(ground, static_cast<double>(poses.xyz[i]));
  const reporting::AxisTicks grid = reporting::linear_ticks(-extent, extent, 8);

  ordered_json data;
  data["description"] = input.description;
  data["units"] = poses.units;
  data["fps"] = poses.fps > 0 ? ordered_json(poses.fps) : ordered_json(nullptr);
  data["joint_names"] = ordered_json::array();
  for (int64_t j = 0; j < kJoints; ++j) data["joint_names"].push_back(eval::joint_name(j));
  data["extent"] = extent;
  data["ground_y"] = std::isfinite(ground) ? ground : 0.0;
  data["grid_step"] = grid.step;
  data["poses"] = reporting::point_frames(poses.xyz.data(), poses.frames, kJoints, 3, reporting::rounding_step(extent));
  data["keypoints_2d"] = nullptr;
  if (with_2d)
    data["keypoints_2d"] = {{"width", input.image.width},
                            {"height", input.image.height},
                            {"frames", reporting::point_frames(input.keypoints_2d.values.data(), poses.frames, kJoints, 3, 0.01)}};
  data["curves"] = kinematic_plots(poses);
  reporting::write_html_page(path, {reporting::PageKind::pose_viewer, input.title, std::move(data)});
}

}  // namespace kasf::inference
