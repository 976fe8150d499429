// kasf_train: trains a pose lifter as an experiment definition describes (docs/training.md).
//
//   kasf_train --config EXPERIMENT.prototxt [--resume] [--threads N] [--official-protocol] ...
//   kasf_train --config EXPERIMENT.prototxt --print-config
//   mpirun -np N kasf_train --config EXPERIMENT.prototxt ...      (data-parallel, docs/distributed.md)
//
// Exit status: 0 finished or stopped early; 1 error (bad definition, data or files); 2 bad command
// line; 3 a NaN or infinite loss (the latest checkpoint is the last good state); 128 + signal after
// SIGINT (130) or SIGTERM (143), once the latest checkpoint is written. Under mpirun an error on
// any rank (a rank that died or hangs included) ends every rank with status 1.
#include "tools/kasf_train_main.h"


#include <boost/program_options.hpp>
#include <exception>
#include <iostream>
#include <optional>

#include "distributed/mpi_environment.h"
#include "framework/cpu/parallel.h"
#include "tools/command_line.h"
#include "tools/device_option.h"
#include "tools/precision_option.h"
#include "training/experiment.h"
#include "training/stop_signal.h"

namespace po = boost::program_options;
using namespace kasf::training;

namespace kasf {
namespace {

constexpr int kExitError = 1, kExitUsage = 2, kExitNonFiniteLoss = 3;

// Command-line values replace those of the definition, which is then validated again.
void apply_overrides(const po::variables_map& args, Experiment& experiment) {
  if (args.count("model")) {
    experiment.set_model_file(args["model"].as<std::string>());
    complete(experiment);  // reads it
  }
  if (args.count("dataset")) experiment.mutable_data()->set_dataset_file(args["dataset"].as<std::string>());
  if (args.count("output-dir")) experiment.mutable_checkpoint()->set_directory(args["output-dir"].as<std::string>());
  if (args.count("epochs")) experiment.mutable_schedule()->set_epochs(args["epochs"].as<int>());
  if (args.count("threads")) experiment.set_threads(args["threads"].as<int>());
  if (args.count("precision")) experiment.set_precision(args["precision"].as<std::string>());
  if (args.count("time-budget"))
    experiment.mutable_schedule()->set_time_budget_minutes(args["time-budget"].as<double>());
  if (args.count("official-protocol"))
    experiment.mutable_data()->mutable_validation()->set_source(ValidationConfig::TEST_SPLIT);
  if (args.count("no-progress")) experiment.mutable_logging()->set_progress_bar(false);
}

int exit_status(const TrainingResult& result) {
  switch (result.outcome) {
    case TrainingOutcome::finished:
    case TrainingOutcome::early_stopped:
    case TrainingOutcome::time_budget: return 0;
    case TrainingOutcome::non_finite_loss: return kExitNonFiniteLoss;
    case TrainingOutcome::interrupted: return 128 + result.signal;
  }
  return kExitError;
}

}  // namespace

int kasf_train_main(int argc, char** argv, const std::function<void(const StepInfo&)>& on_step) {
  const distributed::MpiEnvironment mpi(argc, argv);
  po::options_description options("kasf_train options");
  options.add_options()("help,h", "show this help")
      ("config", po::value<std::string>(), "experiment definition (.prototxt, training/experiment.proto)")
      ("print-config", "print the fully defaulted definition (after the options below) and exit")
      ("resume", "continue the run in the checkpoint directory from latest.ckpt.h5")
      ("device", po::value<Device>()->default_value(Device::CPU, "cpu"), kDeviceOptionHelp)
      ("threads", po::value<int>(), "CPU threads (overrides `threads`; 0: KASF_NUM_THREADS, else OMP_NUM_THREADS, else the cores)")
      ("precision", po::value<std::string>(), std::string(kPrecisionOptionHelp).append(" (overrides `precision`)").c_str())
      ("model", po::value<std::string>(), "model definition (.prototxt, models/model_config.proto; replaces the experiment's model)")
      ("dataset", po::value<std::string>(), "dataset HDF5 file (overrides data.dataset_file)")
      ("output-dir", po::value<std::string>(), "run directory for checkpoints and logs (overrides checkpoint.directory)")
      ("epochs", po::value<int>(), "maximum number of epochs (overrides schedule.epochs)")
      ("time-budget", po::value<double>(),
       "minutes of training: no epoch starts that would end after them (overrides schedule.time_budget_minutes)")
      ("official-protocol", "validate on the test split as the official code does (data.validation.source = TEST_SPLIT)")
      ("no-progress", "no progress bar (logging.progress_bar = false)")
      ("peer-timeout", po::value<double>()->default_value(600),
       "under mpirun: seconds a rank waits for the others in a collective before it ends the job")
      ("bucket-kib", po::value<int64_t>()->default_value(1024), "under mpirun: gradient all-reduce bucket size (KiB)")
      ("no-overlap", "under mpirun: start the gradient all-reduce after backward instead of during it");
  const char* usage = "usage: kasf_train --config EXPERIMENT.prototxt [--resume] [options]\n";
  po::variables_map args;
  if (const std::optional<int> status = parse_command_line(
          "kasf_train", argc, argv, options, usage, args,
          {kThreadsOption, {"epochs", 1, 1e6}, {"time-budget", 0, 1e7}, {"peer-timeout", 1e-3, 1e7}, {"bucket-kib", 1, 1 << 22}},
          "\nExit status: 0 done (all epochs, early stopping or the time budget), 1 error, 2 bad command line, 3 NaN or\n"
          "infinite loss, 130/143 stopped by SIGINT/SIGTERM after writing the latest checkpoint; under\n"
          "mpirun an error on any rank (a rank that died or hangs included) ends every rank with 1.\n"))
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
    if (experiment.threads() > 0) cpu::set_thread_count(experiment.threads());
    TrainerOptions trainer;
    trainer.device = args["device"].as<Device>();
    // Before the device is first used: the NCCL communicator picks this rank's GPU.
    const std::unique_ptr<distributed::Communicator> communicator =
        mpi.communicator(trainer.device, {args["peer-timeout"].as<double>(), stop_signal});
    require_device(trainer.device);
    apply_precision_option(experiment.precision(), trainer.device);
    trainer.resume = args.count("resume") > 0;
    trainer.communicator = communicator.get();
    trainer.reducer.bucket_bytes = args["bucket-kib"].as<int64_t>() * 1024;
    trainer.reducer.overlap = args.count("no-overlap") == 0;
    trainer.on_step = on_step;
    const TrainingResult result = train(experiment, trainer);
    const bool success = exit_status(result) == 0;
    if (mpi.rank() == 0) (success ? std::cout : std::cerr) << "kasf_train: " << result.message << "\n";
    return exit_status(result);
  } catch (const std::exception& e) {
    const std::string rank = mpi.size() > 1 && !dynamic_cast<const distributed::PeerFailure*>(&e)
                                 ? "rank " + std::to_string(mpi.rank()) + ": "
                                 : "";
    std::cerr << "kasf_train: " << rank << e.what() << std::endl;
    mpi.abort(kExitError);  // the other ranks may be waiting for this one
    return kExitError;
  }
}

}  // namespace kasf
