#include "keypoints/pose_reader.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "evaluation/skeleton.h"
#include "framework/io/error.h"
#include "framework/io/hdf5.h"

namespace kasf::keypoints {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw io::FormatError("'" + path + "': " + what);
}

void check_units(const std::string& path, const std::string& units) {
  if (units != "mm" && units != "normalised") fail(path, "units \"" + units + "\" is neither \"mm\" nor \"normalised\"");
}

PoseOutput read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail(path, "cannot be read");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    fail(path, std::string("not JSON: ") + e.what());
  }
  if (!doc.is_object() || !doc.contains("poses") || !doc["poses"].is_array())
    fail(path, "key \"poses\" (frames x 17 x [x, y, z]) is missing");
  PoseOutput poses;
  poses.units = doc.contains("units") && doc["units"].is_string() ? doc["units"].get<std::string>() : "";
  check_units(path, poses.units);
  if (doc.contains("fps") && doc["fps"].is_number()) poses.fps = doc["fps"].get<double>();
  const nlohmann::json& frames = doc["poses"];
  poses.frames = static_cast<int64_t>(frames.size());
  if (poses.frames == 0) fail(path, "\"poses\" is empty");
  for (size_t t = 0; t < frames.size(); ++t) {
    const std::string where = "poses[" + std::to_string(t) + "]";
    if (!frames[t].is_array() || frames[t].size() != eval::kJoints) fail(path, where + " is not a list of 17 joints");
    for (size_t j = 0; j < frames[t].size(); ++j) {
      const nlohmann::json& joint = frames[t][j];
      if (!joint.is_array() || joint.size() != 3)
        fail(path, where + "[" + std::to_string(j) + "] is not [x, y, z]");
      for (const nlohmann::json& v : joint) {
        if (!v.is_number()) fail(path, where + "[" + std::to_string(j) + "] holds a non-number");
        poses.xyz.push_back(v.get<float>());
      }
    }
  }
  return poses;
}

PoseOutput read_h5(const std::string& path) {
  io::h5::Handle file = io::h5::open_file(path);
  if (!io::h5::exists(file.id(), "poses")) fail(path, "dataset \"poses\" (frames, 17, 3) is missing");
  Shape shape;
  PoseOutput poses;
  poses.xyz = io::h5::read_floats(file.id(), "poses", &shape);
  if (shape.size() != 3 || shape[0] < 1 || shape[1] != eval::kJoints || shape[2] != 3)
    fail(path, "dataset \"poses\" is not (frames, 17, 3)");
  poses.frames = shape[0];
  io::h5::Handle dataset(H5Dopen2(file.id(), "poses", H5P_DEFAULT));
  const auto attributes = io::h5::read_attributes(dataset.id());
  const auto units = attributes.find("units");
  if (units == attributes.end() || !std::holds_alternative<std::string>(units->second))
    fail(path, "attribute \"units\" of \"poses\" is missing");
  poses.units = std::get<std::string>(units->second);
  check_units(path, poses.units);
  if (const auto fps = attributes.find("fps"); fps != attributes.end() && std::holds_alternative<double>(fps->second))
    poses.fps = std::get<double>(fps->second);
  return poses;
}

}  // namespace

PoseOutput read_poses(const std::string& path) {
  const std::string extension = std::filesystem::path(path).extension().string();
  if (extension == ".json") return read_json(path);
  if (extension == ".h5" || extension == ".hdf5") return read_h5(path);
  throw std::invalid_argument("'" + path + "': unknown pose file type (expected .json or .h5)");
}

}  // namespace kasf::keypoints
