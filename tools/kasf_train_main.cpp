// kasf_train: trains a pose lifter as an experiment definition describes (docs/training.md).
//
//   kasf_train --config EXPERIMENT.prototxt [--resume] [--threads N] [--official-protocol] ...
//   kasf_train --config EXPERIMENT.prototxt --print-config
//
// Exit status: 0 finished or stopped early; 1 error (bad definition, data or files); 2 bad command
// line; 3 a NaN or infinite loss (the latest checkpoint is the last good state); 128 + signal after
// SIGINT (130) or SIGTERM (143), once the latest checkpoint is written.
#include <omp.h>

#include <boost/program_options.hpp>
#include <exception>
#include <iostream>
#include <optional>

#include "tools/command_line.h"
#include "tools/device_option.h"
#include "training/experiment.h"
#include "training/trainer.h"

namespace po = boost::program_options;
using namespace kasf::training;

namespace {

constexpr int kExitError = 1, kExitUsage = 2, kExitNonFiniteLoss = 3;

// Command-line values replace those of the definition, which is then validated again.
void apply_overrides(const po::variables_map& args, Experiment& experiment) {
  if (args.count("dataset")) experiment.mutable_data()->set_dataset_file(args["dataset"].as<std::string>());
  if (args.count("output-dir")) experiment.mutable_checkpoint()->set_directory(args["output-dir"].as<std::string>());
  if (args.count("epochs")) experiment.mutable_schedule()->set_epochs(args["epochs"].as<int>());
  if (args.count("threads")) experiment.set_threads(args["threads"].as<int>());
  if (args.count("official-protocol"))
    experiment.mutable_data()->mutable_validation()->set_source(ValidationConfig::TEST_SPLIT);
  if (args.count("no-progress")) experiment.mutable_logging()->set_progress_bar(false);
}

int exit_status(const TrainingResult& result) {
  switch (result.outcome) {
    case TrainingOutcome::finished:
    case TrainingOutcome::early_stopped: return 0;
    case TrainingOutcome::non_finite_loss: return kExitNonFiniteLoss;
    case TrainingOutcome::interrupted: return 128 + result.signal;
  }
  return kExitError;
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description options("kasf_train options");
  options.add_options()("help,h", "show this help")
      ("config", po::value<std::string>(), "experiment definition (.prototxt, training/experiment.proto)")
      ("print-config", "print the fully defaulted definition (after the options below) and exit")
      ("resume", "continue the run in the checkpoint directory from latest.ckpt.h5")
      ("device", po::value<kasf::Device>()->default_value(kasf::Device::CPU, "cpu"), kasf::kDeviceOptionHelp)
      ("threads", po::value<int>(), "OpenMP threads (overrides `threads`; 0: OpenMP's default)")
      ("dataset", po::value<std::string>(), "dataset HDF5 file (overrides data.dataset_file)")
      ("output-dir", po::value<std::string>(), "run directory for checkpoints and logs (overrides checkpoint.directory)")
      ("epochs", po::value<int>(), "maximum number of epochs (overrides schedule.epochs)")
      ("official-protocol", "validate on the test split as the official code does (data.validation.source = TEST_SPLIT)")
      ("no-progress", "no progress bar (logging.progress_bar = false)")
      ("hang-after-step", po::value<int64_t>()->default_value(0),
       "debugging crash recovery: stop making progress after this optimizer step until killed");
  const char* usage = "usage: kasf_train --config EXPERIMENT.prototxt [--resume] [options]\n";
  po::variables_map args;
  if (const std::optional<int> status = kasf::parse_command_line(
          "kasf_train", argc, argv, options, usage, args,
          "\nExit status: 0 done (all epochs or early stopping), 1 error, 2 bad command line, 3 NaN or\n"
          "infinite loss, 130/143 stopped by SIGINT/SIGTERM after writing the latest checkpoint.\n"))
    return *status;
  if (!args.count("config")) {
    std::cerr << "kasf_train: --config is required\n" << usage;
    return kExitUsage;
  }
  try {
    const std::string path = args["config"].as<std::string>();
    Experiment experiment = read_experiment(path);
    apply_overrides(args, experiment);
    validate(experiment, path + " (with the command-line options)");
    if (args.count("print-config")) {
      std::cout << to_text(experiment);
      return 0;
    }
    if (experiment.threads() > 0) omp_set_num_threads(experiment.threads());
    TrainerOptions trainer;
    trainer.device = args["device"].as<kasf::Device>();
    kasf::require_device(trainer.device);
    trainer.resume = args.count("resume") > 0;
    trainer.hang_after_step = args["hang-after-step"].as<int64_t>();
    const TrainingResult result = train(experiment, trainer);
    (result.outcome == TrainingOutcome::finished || result.outcome == TrainingOutcome::early_stopped ? std::cout
                                                                                                      : std::cerr)
        << "kasf_train: " << result.message << "\n";
    return exit_status(result);
  } catch (const std::exception& e) {
    std::cerr << "kasf_train: " << e.what() << "\n";
    return kExitError;
  }
}
