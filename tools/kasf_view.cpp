// kasf_view: the interactive 3D viewer page (inference/pose_viewer.h) for a poses or predictions
// file (docs/inference.md, "Viewer").
//
//   kasf_view IN.json|IN.h5 --html OUT.html [--fps F]
//
// IN is a kasf_infer output (.json or .h5 with `poses`) or a kasf_eval predictions file (.h5 with
// `predictions`): its clips are shown one after the other, each made root-relative, in the model's
// normalised units.
#include <boost/program_options.hpp>
#include <exception>
#include <filesystem>
#include <iostream>

#include "evaluation/benchmark/predictions_file.h"
#include "framework/io/hdf5.h"
#include "inference/pose_viewer.h"
#include "keypoints/pose_reader.h"
#include "tools/command_line.h"

namespace po = boost::program_options;
using namespace kasf;

namespace {

bool is_predictions_file(const std::string& path) {
  const std::string extension = std::filesystem::path(path).extension().string();
  if (extension != ".h5" && extension != ".hdf5") return false;
  io::h5::Handle file = io::h5::open_file(path);
  return io::h5::exists(file.id(), "predictions");
}

// The clips of a predictions file in order, each frame's pelvis moved to the origin.
keypoints::PoseOutput predictions_as_poses(const std::string& path, std::string& description) {
  const eval::PredictionsFile file = eval::read_predictions_file(path);
  keypoints::PoseOutput poses;
  poses.frames = file.predictions.clips * file.predictions.clip_length;
  poses.xyz = file.predictions.values;
  for (int64_t t = 0; t < poses.frames; ++t) {
    float* frame = poses.xyz.data() + t * keypoints::kKeypoints * 3;
    const float root[3] = {frame[0], frame[1], frame[2]};
    for (int64_t j = 0; j < keypoints::kKeypoints; ++j)
      for (int c = 0; c < 3; ++c) frame[j * 3 + c] -= root[c];
  }
  description = "predictions of " + (file.predictions.name.empty() ? std::string("a model") : file.predictions.name) +
                " from " + path + ": " + std::to_string(file.predictions.clips) + " test clips of " +
                std::to_string(file.predictions.clip_length) + " frames one after the other (clip k starts at frame " +
                std::to_string(file.predictions.clip_length) + " x k), root-relative, normalised units";
  return poses;
}

int view(const po::variables_map& args) {
  const std::string input = args["input"].as<std::string>();
  std::string description;
  keypoints::PoseOutput poses;
  if (is_predictions_file(input)) {
    poses = predictions_as_poses(input, description);
  } else {
    poses = keypoints::read_poses(input);
    description = "3D poses from " + input + "; units: " + poses.units + "; axes: " + keypoints::kPoseAxes;
  }
  if (args.count("fps")) poses.fps = args["fps"].as<double>();
  const std::string output = args["html"].as<std::string>();
  inference::write_pose_viewer(output, {"kasf_view: " + input, description, poses, {}, {}});
  std::cerr << "kasf_view: " << poses.frames << " frames -> " << output << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description options("kasf_view options");
  options.add_options()("help,h", "show this help")
      ("input", po::value<std::string>(), "poses (.json/.h5 of kasf_infer) or predictions file (.h5 of kasf_eval)")
      ("html", po::value<std::string>(), "the viewer page to write")
      ("fps", po::value<double>(), "frame rate for playback and speeds; default: the file's, else 25 for playback");
  po::positional_options_description positional;
  positional.add("input", 1);
  const char* usage = "usage: kasf_view IN.json|IN.h5 --html OUT.html [--fps F]\n";
  po::variables_map args;
  if (const std::optional<int> status = parse_command_line("kasf_view", argc, argv, options, usage, args, {kFpsOption}, "", positional))
    return *status;
  if (!args.count("input") || !args.count("html")) {
    std::cerr << "kasf_view: give an input file and --html OUT.html\n" << usage;
    return 2;
  }
  if (args.count("fps") && !(args["fps"].as<double>() > 0)) {
    std::cerr << "kasf_view: --fps must be positive\n";
    return 2;
  }
  try {
    return view(args);
  } catch (const std::exception& e) {
    std::cerr << "kasf_view: " << e.what() << "\n";
    return 1;
  }
}
