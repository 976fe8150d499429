#include "keypoints/pose_output.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "evaluation/skeleton.h"
#include "framework/io/atomic_file.h"
#include "framework/io/hdf5.h"

namespace kasf::keypoints {
namespace {

void check(const PoseOutput& p) {
  if (p.frames < 1 || p.xyz.size() != static_cast<size_t>(p.frames * eval::kJoints * 3))
    throw std::invalid_argument("poses: " + std::to_string(p.xyz.size()) + " values are not " +
                                std::to_string(p.frames) + " frames x 17 joints x 3");
}

PoseOutput scaled(PoseOutput p, double factor) {
  for (float& v : p.xyz) v = static_cast<float>(v * factor);
  p.units = "mm";
  return p;
}

double bone(const float* pose, int a, int b) {
  double squared = 0;
  for (int c = 0; c < 3; ++c) squared += std::pow(static_cast<double>(pose[a * 3 + c]) - pose[b * 3 + c], 2);
  return std::sqrt(squared);
}

std::vector<std::string> joint_names() {
  std::vector<std::string> names;
  for (int64_t j = 0; j < eval::kJoints; ++j) names.push_back(eval::joint_name(j));
  return names;
}

void write_json(const std::string& file, const PoseOutput& p) {
  nlohmann::ordered_json doc;
  doc["units"] = p.units;
  doc["axes"] = kPoseAxes;
  doc["joint_order"] = joint_names();
  doc["fps"] = p.fps > 0 ? nlohmann::ordered_json(p.fps) : nlohmann::ordered_json(nullptr);
  doc["frames"] = p.frames;
  nlohmann::ordered_json poses = nlohmann::ordered_json::array();
  for (int64_t t = 0; t < p.frames; ++t) {
    nlohmann::ordered_json frame = nlohmann::ordered_json::array();
    for (int64_t j = 0; j < eval::kJoints; ++j) {
      const float* v = p.xyz.data() + (t * eval::kJoints + j) * 3;
      frame.push_back({v[0], v[1], v[2]});
    }
    poses.push_back(std::move(frame));
  }
  doc["poses"] = std::move(poses);
  std::ofstream out(file);
  out << doc.dump() << '\n';
  if (!out) throw std::runtime_error(file + ": write failed");
}

void write_csv(const std::string& file, const PoseOutput& p) {
  std::ofstream out(file);
  out << "# units: " << p.units << "\n# axes: " << kPoseAxes << "\n# joint order: H36M-17\n";
  if (p.fps > 0) out << "# fps: " << p.fps << '\n';
  out << "frame";
  for (const std::string& name : joint_names()) out << ',' << name << "_x," << name << "_y," << name << "_z";
  out << std::setprecision(9);
  for (int64_t t = 0; t < p.frames; ++t) {
    out << '\n' << t;
    for (int64_t i = 0; i < eval::kJoints * 3; ++i) out << ',' << p.xyz[t * eval::kJoints * 3 + i];
  }
  out << '\n';
  if (!out) throw std::runtime_error(file + ": write failed");
}

void write_h5(const std::string& file, const PoseOutput& p) {
  io::h5::Handle h5 = io::h5::create_file(file);
  io::h5::write_floats(h5.id(), "poses", {p.frames, eval::kJoints, 3}, p.xyz.data());
  io::h5::write_strings(h5.id(), "joint_names", joint_names());
  io::h5::Handle dataset(H5Dopen2(h5.id(), "poses", H5P_DEFAULT));
  io::h5::write_attribute(dataset.id(), "units", p.units);
  io::h5::write_attribute(dataset.id(), "axes", std::string(kPoseAxes));
  io::h5::write_attribute(dataset.id(), "fps", p.fps);
}

}  // namespace

double skeleton_height(const float* pose) {
  const double trunk = bone(pose, 10, 9) + bone(pose, 9, 8) + bone(pose, 8, 7) + bone(pose, 7, 0);
  const double legs = (bone(pose, 1, 2) + bone(pose, 2, 3) + bone(pose, 4, 5) + bone(pose, 5, 6)) / 2;
  return trunk + legs;
}

PoseOutput scale_by_camera(PoseOutput normalised, double image_width, double focal_px, double distance_mm) {
  check(normalised);
  if (!(image_width > 0) || !(focal_px > 0) || !(distance_mm > 0))
    throw std::invalid_argument("camera scale needs a positive image width, focal length and subject distance");
  return scaled(std::move(normalised), image_width / 2 * distance_mm / focal_px);
}

PoseOutput scale_by_skeleton_height(PoseOutput normalised, double height_mm) {
  check(normalised);
  if (!(height_mm > 0)) throw std::invalid_argument("subject height must be positive");
  std::vector<double> heights;
  for (int64_t t = 0; t < normalised.frames; ++t) heights.push_back(skeleton_height(normalised.xyz.data() + t * eval::kJoints * 3));
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  const double median = heights[heights.size() / 2];
  if (!(median > 0)) throw std::invalid_argument("subject height: the predicted skeleton has zero size");
  return scaled(std::move(normalised), height_mm / median);
}

void write_poses(const std::string& path, const PoseOutput& poses) {
  check(poses);
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
  void (*writer)(const std::string&, const PoseOutput&) = nullptr;
  if (extension == ".json") writer = write_json;
  if (extension == ".csv") writer = write_csv;
  if (extension == ".h5" || extension == ".hdf5") writer = write_h5;
  if (!writer) throw std::invalid_argument(path + ": unknown output format (use .json, .csv or .h5)");
  io::AtomicFile file(path);
  writer(file.temp_path(), poses);
  file.commit();
}

}  // namespace kasf::keypoints
