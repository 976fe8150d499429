// kasf_eval: the paper's result tables for models and stored predictions on a dataset file's test
// split, and the AthletePose3D kinematic validation (docs/evaluation.md).
//
//   kasf_eval --data TEST.h5 --weights A.h5 [--weights B.h5 ...] [--predictions P.h5 ...] [--flip]
//             [--format md|csv|json] [--by action|joint|body-part] [--protocol official|frames] [--frame-step N]
//             [--kinematics [--fps F] [--spm rft|permutation]] [--write-predictions OUT.h5] [--html REPORT.html]

#include <boost/program_options.hpp>
#include <exception>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

#include "evaluation/benchmark/evaluation_report.h"
#include "framework/cpu/parallel.h"
#include "evaluation/benchmark/kinematic_report.h"
#include "evaluation/benchmark/predictions_file.h"
#include "evaluation/benchmark/scoring.h"
#include "models/inference.h"
#include "tools/command_line.h"
#include "tools/device_option.h"
#include "tools/frame_step_option.h"
#include "tools/precision_option.h"

namespace po = boost::program_options;
using namespace kasf;

namespace {

struct Evaluated {
  eval::ClipPredictions predictions;
  const eval::TestClips* clips;
};

std::vector<std::string> list(const po::variables_map& args, const char* name) {
  return args.count(name) ? args[name].as<std::vector<std::string>>() : std::vector<std::string>{};
}

// Table row names: the file names without extension, or the paths where those collide.
std::vector<std::string> row_names(const std::vector<std::string>& paths) {
  std::map<std::string, int> uses;
  for (const auto& path : paths) ++uses[std::filesystem::path(path).stem().string()];
  std::vector<std::string> names;
  for (const auto& path : paths) {
    const std::string stem = std::filesystem::path(path).stem().string();
    names.push_back(uses[stem] > 1 ? path : stem);
  }
  return names;
}

int evaluate(const po::variables_map& args) {
  // Each model's (file's) own clip length unless --clip-length fixes one for all.
  const auto clip_length = [&](int64_t own) {
    return args.count("clip-length") ? args["clip-length"].as<int64_t>() : own;
  };
  const eval::Aggregation aggregation = eval::parse_aggregation(args["protocol"].as<std::string>());
  const eval::TableLayout layout = eval::parse_table_layout(args["by"].as<std::string>());
  const eval::TableFormat format = eval::parse_table_format(args["format"].as<std::string>());
  const Device device = args["device"].as<Device>();
  require_device(device);
  apply_precision_option(args["precision"].as<std::string>(), device);
  if (args.count("kinematics") && format != eval::TableFormat::markdown)
    throw std::invalid_argument("--kinematics prints markdown tables; use it with --format md");
  const std::vector<std::string> weights = list(args, "weights"), stored = list(args, "predictions");
  std::vector<RecordedFrameStep> recorded;
  for (const std::string& path : weights) recorded.push_back({path, models::trained_frame_step(path)});
  for (const std::string& path : stored) recorded.push_back({path, eval::read_predictions_frame_step(path), true});
  const std::optional<int64_t> given =
      args.count("frame-step") ? std::optional(args["frame-step"].as<int64_t>()) : std::nullopt;
  const int64_t frame_step = resolve_frame_step(given, recorded, "kasf_eval", std::cerr);
  eval::TestData data(args["data"].as<std::string>(), data::parse_clip_rule(args["clip-rule"].as<std::string>()),
                      frame_step);
  // The clips' frame rate: the data's (--fps, else the file's) over the frame step.
  const double clip_fps = (args.count("fps") ? args["fps"].as<double>() : data.fps().value_or(0)) / frame_step;
  const std::string source_2d = args.count("source-2d") ? args["source-2d"].as<std::string>() : data.source_2d();

  std::vector<std::string> paths = weights;
  paths.insert(paths.end(), stored.begin(), stored.end());
  const std::vector<std::string> names = row_names(paths);

  std::vector<Evaluated> evaluated;
  for (size_t i = 0; i < weights.size(); ++i) {
    auto model = models::load_model(weights[i]);
    model->to(device);
    const eval::TestClips& clips = data.clips(clip_length(model->config().n_frames()));
    eval::PredictionOptions options{names[i], args["batch-size"].as<int64_t>(), args.count("flip") > 0,
                                    !args.count("quiet")};
    evaluated.push_back({eval::predict_test_clips(*model, clips, options), &clips});
    evaluated.back().predictions.source_2d = source_2d;
  }
  for (size_t i = 0; i < stored.size(); ++i) {
    eval::PredictionsFile file = eval::read_predictions_file(stored[i]);
    const eval::TestClips& clips = data.clips(clip_length(file.predictions.clip_length));
    eval::check_predictions_match(file, stored[i], clips, data.frames());
    if (file.stamp.fingerprint.empty())
      std::cerr << "kasf_eval: note: " << stored[i] << " has no clip_fingerprint; only the clip count and length "
                << "were checked\n";
    if (file.predictions.name.empty()) file.predictions.name = names[weights.size() + i];
    if (file.predictions.source_2d.empty()) file.predictions.source_2d = source_2d;
    evaluated.push_back({std::move(file.predictions), &clips});
  }

  std::vector<eval::ModelResult> results;
  for (const Evaluated& e : evaluated)
    results.push_back(eval::model_result(e.predictions, eval::score_predictions(e.predictions, *e.clips), aggregation));
  std::string report = eval::render_table(results, layout, format);
  if (args.count("kinematics")) {
    // Frame rate: --fps for all; else the frames' own (AthletePose3D's per-frame fps), else the file's;
    // over the frame step.
    eval::KinematicOptions options{clip_fps, {}};
    if (args["spm"].as<std::string>() == "permutation") options.spm.inference = eval::SpmInference::permutation;
    for (const Evaluated& e : evaluated) {
      std::vector<eval::KinematicSequence> sequences = eval::window_sequences(e.predictions, *e.clips);
      if (args.count("fps"))
        for (eval::KinematicSequence& sequence : sequences) sequence.fps = clip_fps;
      report += "\n" + eval::kinematic_report(e.predictions.name, sequences, options);
    }
  }
  // Outputs only once everything has succeeded.
  if (args.count("html")) {
    std::vector<eval::EvaluatedModel> models;
    for (size_t i = 0; i < evaluated.size(); ++i)
      models.push_back({&results[i], &evaluated[i].predictions, evaluated[i].clips});
    eval::write_evaluation_report(args["html"].as<std::string>(), models,
                                  {data.path(), 3, clip_fps});
  }
  if (args.count("write-predictions"))
    eval::write_predictions_file(args["write-predictions"].as<std::string>(), evaluated.front().predictions,
                                 *evaluated.front().clips, data.frames());
  std::cout << report;
  return 0;
}

// Usage errors the parser cannot see; empty when the arguments are consistent.
std::string usage_problem(const po::variables_map& args) {
  const size_t weights = list(args, "weights").size(), stored = list(args, "predictions").size();
  if (!args.count("data")) return "--data is required";
  if (weights + stored == 0) return "give at least one --weights or --predictions";
  if (args.count("write-predictions") && (weights != 1 || stored != 0))
    return "--write-predictions takes exactly one --weights and no --predictions";
  const std::string spm = args["spm"].as<std::string>();
  if (spm != "rft" && spm != "permutation") return "--spm " + spm + ": expected rft or permutation";
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description options("kasf_eval options");
  options.add_options()("help,h", "show this help")
      ("data", po::value<std::string>(), "dataset file (kasf_convert) whose test split is evaluated")
      ("weights", po::value<std::vector<std::string>>(), "model weight file; repeat for several models")
      ("predictions", po::value<std::vector<std::string>>(), "predictions file (docs/evaluation.md); repeatable")
      ("flip", "flip test-time augmentation for the models (spec 7 step 1)")
      ("format", po::value<std::string>()->default_value("md"), "md | csv | json")
      ("by", po::value<std::string>()->default_value("models"),
       "table layout: models (Tables 1/3) | action (Table 2) | joint | body-part")
      ("protocol", po::value<std::string>()->default_value("official"),
       "aggregation: official (per action, then mean over actions) | frames (all frames equally)")
      ("clip-length", po::value<int64_t>(), "clip length T; default: each model's (each file's) own")
      ("clip-rule", po::value<std::string>()->default_value("motionbert"), "motionbert | worldpose (spec 6.3)")
      ("frame-step", po::value<int64_t>(),
       "clips take every N-th frame (5 for 10 fps models on 50 fps data); needed for weights trained with "
       "data.frame_step other than 1; default: the step the predictions files record, else 1")
      ("source-2d", po::value<std::string>(), "2D source label in the table; default det / gt from the data")
      ("write-predictions", po::value<std::string>(), "write the (single) model's predictions file here")
      ("html", po::value<std::string>(), "also write an HTML report: tables, per-joint errors, worst clips in 3D")
      ("kinematics", "add the AthletePose3D kinematic validation tables")
      ("fps", po::value<double>(),
       "frame rate of the data for --kinematics (clips have it over --frame-step); default: the test frames' own fps "
       "(AthletePose3D), else the file's fps attribute")
      ("spm", po::value<std::string>()->default_value("rft"), "SPM threshold: rft (random field theory) | permutation")
      ("batch-size", po::value<int64_t>()->default_value(32), "clips per model call")
      ("threads", po::value<int>(), "CPU threads (default: KASF_NUM_THREADS, else OMP_NUM_THREADS, else the cores)")
      ("device", po::value<Device>()->default_value(Device::CPU, "cpu"), kDeviceOptionHelp)
      ("precision", po::value<std::string>()->default_value("fp32"), kPrecisionOptionHelp)
      ("quiet", "no progress line");
  const char* usage =
      "usage: kasf_eval --data TEST.h5 (--weights W.h5 | --predictions P.h5)... [--flip] [--format md|csv|json]\n"
      "                 [--by models|action|joint|body-part] [--protocol official|frames] [--kinematics [--fps F]]\n"
      "                 [--frame-step N] [--html REPORT.html]\n"
      "       kasf_eval --data TEST.h5 --weights W.h5 --write-predictions P.h5\n";
  po::variables_map args;
  const std::vector<NumericOption> numeric = {{"clip-length", 1, 1e5}, {"frame-step", 1, 1e4}, kFpsOption, kBatchSizeOption,
                                              kThreadsOption};
  if (const std::optional<int> status = parse_command_line("kasf_eval", argc, argv, options, usage, args, numeric))
    return *status;
  if (const std::string problem = usage_problem(args); !problem.empty()) {
    std::cerr << "kasf_eval: " << problem << "\n" << usage;
    return 2;
  }
  if (args.count("threads") && args["threads"].as<int>() > 0) cpu::set_thread_count(args["threads"].as<int>());
  try {
    return evaluate(args);
  } catch (const std::exception& e) {
    std::cerr << "kasf_eval: error: " << e.what() << "\n";
    return 1;
  }
}
