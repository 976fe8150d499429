// The training loop of kasf_train (spec section 8, with a validation set of its own by default):
// per epoch the warm-up lr, training batches with random flips, the loss, backward and an AdamW
// step; then validation (MPJPE, P-MPJPE in mm, flip-averaged when `flip` is on), early stopping,
// ReduceLROnPlateau after the warm-up, the metrics log, the plot and the checkpoints.
//
// The run directory (checkpoint.directory) holds latest.ckpt.h5 (after every epoch, every
// checkpoint.every_steps steps and on SIGINT/SIGTERM), best.ckpt.h5 (the epoch with the lowest
// validation MPJPE), metrics.jsonl, training_curves.svg, report.html (training_report.h) and
// experiment.prototxt (the completed definition). A resumed run continues from latest.ckpt.h5 and ends with the same weights as an
// uninterrupted one with the same thread count.
//
// Data-parallel (several ranks, `communicator`): every rank reads its shard of each global batch
// (the one-process order), the gradients are summed by a bucketed all-reduce that overlaps
// backward, AdamW steps identically everywhere, BatchNorm statistics and dropout masks are those of
// the global batch, validation and test are sharded and gathered, and rank 0 alone writes the run
// directory and prints. docs/distributed.md.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "distributed/communicator.h"
#include "distributed/gradient_reducer.h"
#include "framework/backend.h"
#include "training/experiment.pb.h"

namespace kasf::training {

struct StepInfo {
  int64_t epoch = 0;  // 0-based
  int64_t step = 0;   // optimizer steps done
  int rank = 0;
};

struct TrainerOptions {
  bool resume = false;
  // Where the model, its optimizer state and the batches live; checkpoints hold host copies.
  Device device = Device::CPU;
  // The ranks of a data-parallel run; null: this process alone.
  distributed::Communicator* communicator = nullptr;
  distributed::ReducerOptions reducer;
  // Called after every optimizer step and its checkpoint (tests stop a process there).
  std::function<void(const StepInfo&)> on_step;
};

enum class TrainingOutcome {
  finished,         // all epochs
  early_stopped,    // the validation MPJPE stopped improving
  time_budget,      // the next epoch would have ended after schedule.time_budget_minutes
  interrupted,      // SIGINT/SIGTERM: latest checkpoint written
  non_finite_loss,  // NaN or infinite loss: stopped, the latest checkpoint is the last good one
};

struct TrainingResult {
  TrainingOutcome outcome = TrainingOutcome::finished;
  int signal = 0;       // for `interrupted`
  std::string message;  // what happened, for the user
};

// Runs the experiment; throws on invalid data, files or a --resume without a checkpoint.
TrainingResult train(const Experiment& experiment, const TrainerOptions& options);

// The paths of a run directory.
std::string latest_checkpoint_path(const Experiment& experiment);
std::string best_checkpoint_path(const Experiment& experiment);
std::string metrics_log_path(const Experiment& experiment);
std::string training_curves_path(const Experiment& experiment);
std::string training_report_path(const Experiment& experiment);

}  // namespace kasf::training
