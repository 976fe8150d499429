// kasf_infer: 3D poses from a 2D keypoint file, a model run on an input tensor, or a model summary
// (docs/inference.md).
//
//   kasf_infer --weights W.h5 --input KEYPOINTS --format coco-json|ap3d-npy|h36m-csv|h36m-h5 --width W
//              --height H [--fps F] --output OUT.(json|csv|h5) [--render DIR] [--flip]
//              [--focal F --distance D | --subject-height MM] [--threads N] [--batch-size N]
//              [--html VIEWER.html] [--frame-step N]
//   kasf_infer --weights W.h5 [--config M.prototxt] --input-tensor IN.h5 --output OUT.h5
//   kasf_infer --config M.prototxt --summary

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <variant>

#include "framework/cpu/parallel.h"
#include "framework/io/atomic_file.h"
#include "inference/animation.h"
#include "inference/frame_render.h"
#include "inference/keypoint_lifting.h"
#include "inference/pose_viewer.h"
#include "keypoints/keypoint_input.h"
#include "layers/parameter_summary.h"
#include "models/inference.h"
#include "models/model_config.h"
#include "tools/command_line.h"
#include "tools/device_option.h"
#include "tools/frame_step_option.h"
#include "tools/precision_option.h"

namespace po = boost::program_options;
using namespace kasf;

namespace {

std::string optional_config(const po::variables_map& args) {
  return args.count("config") ? args["config"].as<std::string>() : "";
}

template <typename T>
std::optional<T> optional_value(const po::variables_map& args, const char* name) {
  return args.count(name) ? std::optional<T>(args[name].as<T>()) : std::nullopt;
}

// The model of --weights, or with --random-weights the --config model as initialised from that seed,
// on --device.
std::unique_ptr<models::PoseLifter> model_of(const po::variables_map& args) {
  const Device device = args["device"].as<Device>();
  require_device(device);
  apply_precision_option(args["precision"].as<std::string>(), device);
  std::unique_ptr<models::PoseLifter> model;
  if (args.count("random-weights")) {
    Generator init(args["random-weights"].as<uint64_t>());
    model = models::build_model(models::read_model_config(args["config"].as<std::string>()), init);
  } else {
    model = models::load_model(args["weights"].as<std::string>(), optional_config(args));
  }
  model->to(device);
  return model;
}

void render(const po::variables_map& args, const keypoints::KeypointSequence& h36m, data::ImageSize image,
            const keypoints::PoseOutput& poses) {
  const std::string dir = args["render"].as<std::string>();
  inference::render_frames(dir, h36m, image, poses);
  std::cerr << "kasf_infer: rendered " << poses.frames << " frames into " << dir << "\n";
  if (const std::optional<std::string> ffmpeg = inference::find_ffmpeg()) {
    const double fps = poses.fps > 0 ? poses.fps : 25;
    std::cerr << "kasf_infer: wrote " << inference::make_animation(*ffmpeg, dir, fps) << " at " << fps << " fps\n";
  } else {
    std::cerr << "kasf_infer: ffmpeg is not installed (not on PATH): PNG frames only, no animation\n";
  }
}

// --frame-step, else 1 unless the weights were trained at another step (tools/frame_step_option.h).
int64_t frame_step_of(const po::variables_map& args) {
  std::vector<RecordedFrameStep> recorded;
  if (args.count("weights")) {
    const std::string weights = args["weights"].as<std::string>();
    recorded.push_back({weights, models::trained_frame_step(weights)});
  }
  return resolve_frame_step(optional_value<int64_t>(args, "frame-step"), recorded, "kasf_infer", std::cerr);
}

int lift_keypoint_file(const po::variables_map& args) {
  const int64_t frame_step = frame_step_of(args);  // before any file is read: a refusal costs nothing
  const keypoints::KeypointFormat format = keypoints::parse_keypoint_format(args["format"].as<std::string>());
  const data::ImageSize image{args["width"].as<double>(), args["height"].as<double>()};
  const inference::MetricScale scale{optional_value<double>(args, "focal"), optional_value<double>(args, "distance"),
                                     optional_value<double>(args, "subject-height")};
  inference::check_scale(scale);
  auto model = model_of(args);

  const auto start = std::chrono::steady_clock::now();
  const keypoints::KeypointInput input = keypoints::read_keypoints(args["input"].as<std::string>(), format);
  const inference::LiftingOptions options{image,
                                          args.count("flip") > 0,
                                          args["batch-size"].as<int64_t>(),
                                          args.count("fps") ? args["fps"].as<double>() : 0,
                                          !args.count("quiet"),
                                          frame_step};
  const keypoints::PoseOutput poses =
      inference::apply_scale(inference::lift_keypoints(*model, input.h36m, options), scale, image.width);
  // The poses and the viewer page are both written or neither: each goes to a temporary file next
  // to its path (reserved first, so a bad folder fails before anything is written), and both are
  // renamed into place only once both are complete.
  io::AtomicFile poses_file(args["output"].as<std::string>(), io::AtomicFile::Durability::RenameOnly);
  std::optional<io::AtomicFile> page_file;
  if (args.count("html")) page_file.emplace(args["html"].as<std::string>(), io::AtomicFile::Durability::RenameOnly);
  keypoints::write_poses(poses_file.temp_path(), poses);
  if (page_file) {
    const std::string source = args["input"].as<std::string>();
    inference::write_pose_viewer(page_file->temp_path(),
                                 {"kasf_infer: " + source,
                                  "3D poses lifted from " + source + "; units: " + poses.units + "; axes: " +
                                      keypoints::kPoseAxes,
                                  poses, input.h36m, image});
  }
  poses_file.commit();
  if (page_file) page_file->commit();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::cerr << "kasf_infer: " << poses.frames << " frames (" << input.filled << " missing keypoints filled), "
            << (args.count("flip") ? "flip-augmented, " : "") << "units: " << poses.units << " -> "
            << args["output"].as<std::string>() << "\n";
  if (args.count("render")) render(args, input.h36m, image, poses);
  if (page_file) std::cerr << "kasf_infer: viewer -> " << args["html"].as<std::string>() << "\n";
  std::printf("throughput: %lld frames in %.3f s (%.1f frames/s; reading, lifting and writing, without rendering)\n",
              static_cast<long long>(poses.frames), seconds, poses.frames / seconds);
  return 0;
}

int run_tensor_inference(const po::variables_map& args) {
  auto model = model_of(args);
  Tensor input = models::read_tensor(args["input-tensor"].as<std::string>(), "input").to(model->device());
  models::write_tensor(args["output"].as<std::string>(), "output", models::predict(*model, input));
  return 0;
}

int print_summary(const po::variables_map& args) {
  Generator init(0);
  const auto model = models::build_model(models::read_model_config(args["config"].as<std::string>()), init);
  std::cout << parameter_summary(*model);
  return 0;
}

enum class Mode { keypoints, tensor, summary };

// The mode the arguments ask for, or a usage problem.
std::variant<Mode, std::string> mode_of(const po::variables_map& args) {
  const auto has = [&](const char* name) { return args.count(name) > 0; };
  if (has("summary")) {
    if (!has("config") || has("weights")) return std::string("--summary takes --config and no --weights");
    return Mode::summary;
  }
  if (has("input-tensor")) {
    if (!has("weights") || !has("output")) return std::string("--input-tensor needs --weights and --output");
    return Mode::tensor;
  }
  if (!has("input")) return std::string("give --input (a keypoint file), --input-tensor, or --summary");
  for (const char* required : {"format", "width", "height", "output"})
    if (!has(required)) return "--input needs --" + std::string(required);
  if (has("weights") == has("random-weights")) return std::string("give exactly one of --weights and --random-weights");
  if (has("random-weights") && !has("config")) return std::string("--random-weights needs --config");
  return Mode::keypoints;
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description options("kasf_infer options");
  options.add_options()("help,h", "show this help")
      ("weights", po::value<std::string>(), "weight file (HDF5: weights/<key> datasets, hyperparameters as attributes)")
      ("config", po::value<std::string>(), "model definition (.prototxt); default: the weight file's attributes")
      ("input", po::value<std::string>(), "2D keypoint file of one person (docs/inference.md)")
      ("format", po::value<std::string>(), "coco-json | ap3d-npy | h36m-csv | h36m-h5")
      ("width", po::value<double>(), "image width of the video the keypoints come from, pixels")
      ("height", po::value<double>(), "image height, pixels")
      ("fps", po::value<double>(), "frame rate, recorded in the output and used for the animation")
      ("output", po::value<std::string>(), "3D poses (.json | .csv | .h5); with --input-tensor an HDF5 tensor file")
      ("flip", "flip test-time augmentation")
      ("focal", po::value<double>(), "camera focal length in pixels (with --distance: output in mm)")
      ("distance", po::value<double>(), "subject's distance from the camera in mm (with --focal)")
      ("subject-height", po::value<double>(), "subject's skeleton height in mm (head to ankles; output in mm)")
      ("render", po::value<std::string>(), "folder for PNG frames (2D input beside 3D) and, with ffmpeg, animation.mp4")
      ("html", po::value<std::string>(), "interactive viewer: one self-contained HTML file (3D beside the 2D input)")
      ("batch-size", po::value<int64_t>()->default_value(32), "clips per model call")
      ("frame-step", po::value<int64_t>(),
       "the model sees every N-th frame, each phase lifted apart, output at the input's rate; needed for "
       "weights trained with data.frame_step other than 1; default 1")
      ("threads", po::value<int>(), "CPU threads (default: KASF_NUM_THREADS, else OMP_NUM_THREADS, else the cores)")
      ("device", po::value<Device>()->default_value(Device::CPU, "cpu"), kDeviceOptionHelp)
      ("precision", po::value<std::string>()->default_value("fp32"), kPrecisionOptionHelp)
      ("random-weights", po::value<uint64_t>(),
       "instead of --weights: the --config model initialised from this seed (throughput measurements)")
      ("quiet", "no progress line")
      ("input-tensor", po::value<std::string>(), "HDF5 file with dataset 'input' (B, T, 17, 3): x, y, confidence")
      ("summary", "print the per-module parameter breakdown of --config and exit");
  const char* usage =
      "usage: kasf_infer --weights W.h5 --input KEYPOINTS --format coco-json|ap3d-npy|h36m-csv|h36m-h5\n"
      "                  --width W --height H [--fps F] --output OUT.(json|csv|h5) [--render DIR] [--flip]\n"
      "                  [--focal F --distance D | --subject-height MM] [--threads N] [--batch-size N]\n"
      "                  [--html VIEWER.html] [--frame-step N]\n"
      "       kasf_infer --weights W.h5 [--config M.prototxt] --input-tensor IN.h5 --output OUT.h5\n"
      "       kasf_infer --config M.prototxt --summary\n";
  po::variables_map args;
  const std::vector<NumericOption> numeric = {
      {"width", 1, 1e6}, {"height", 1, 1e6}, kFpsOption, {"focal", 1, 1e7}, {"distance", 1, 1e8},
      {"subject-height", 10, 1e4}, {"frame-step", 1, 1e4}, kBatchSizeOption, kThreadsOption};
  if (const std::optional<int> status = parse_command_line("kasf_infer", argc, argv, options, usage, args, numeric))
    return *status;
  const std::variant<Mode, std::string> mode = mode_of(args);
  if (const std::string* problem = std::get_if<std::string>(&mode)) {
    std::cerr << "kasf_infer: " << *problem << "\n" << usage;
    return 2;
  }
  if (args.count("threads") && args["threads"].as<int>() > 0) cpu::set_thread_count(args["threads"].as<int>());
  try {
    switch (std::get<Mode>(mode)) {
      case Mode::keypoints: return lift_keypoint_file(args);
      case Mode::tensor: return run_tensor_inference(args);
      case Mode::summary: return print_summary(args);
    }
  } catch (const std::exception& e) {
    std::cerr << "kasf_infer: " << e.what() << "\n";
  }
  return 1;
}
