// Shared helpers of the training tests: a small synthetic dataset file with
// smooth motion, a tiny experiment definition, and running kasf_train as a child process.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/scratch_dir.h"

namespace kasf::training::testing {

using TempDir = kasf::test::ScratchDir;

// Train split: `train_videos` sources of 40 frames, two cameras each ("rec<k>_cam<c>"); test split:
// two sources. Poses move smoothly (sinusoids), image 1000 x 1000, factor 1 mm per pixel. With
// `nan_in_train`, one training frame's 2D holds the largest float, which makes the loss NaN.
void write_synthetic_dataset(const std::string& path, int train_videos, bool nan_in_train = false);

// A tiny model (1 layer, d = 16, 9 frames, dropout 0.1) on `dataset`, writing to `run_dir`.
std::string tiny_experiment(const std::string& dataset, const std::string& run_dir, int epochs, int every_steps);

void write_text(const std::string& path, const std::string& text);

// A scratch folder with the synthetic dataset (5 training videos) and tiny experiments on it.
struct TinyRun {
  TempDir dir;
  std::string dataset = dir.file("data.h5");
  TinyRun();
  // Writes `dir`/<run>.prototxt for a run directory `dir`/<run>; returns its path.
  std::string config(const std::string& run, int epochs, int every_steps);
};

// Starts kasf_train with `args`, stdout and stderr going to `log`; returns the child's pid.
pid_t start_kasf_train(const std::vector<std::string>& args, const std::string& log);
// The same through the tests' launcher (kasf_train_with_step_hook.cpp), whose rank `hang_rank`
// (-1: every rank) stops making progress after optimizer step `hang_after_step` until a signal.
struct Hang {
  int64_t after_step = 0;
  int rank = -1;
};
pid_t start_hanging_kasf_train(const std::vector<std::string>& args, const std::string& log, const Hang& hang);
// `mpirun -np ranks` (loopback, oversubscribed, allowed as root) of kasf_train, or of the launcher
// when `hang.after_step` > 0.
pid_t start_mpirun_kasf_train(int ranks, const std::vector<std::string>& args, const std::string& log,
                              const Hang& hang = {});
// Waits for the child and returns its exit status (128 + signal when a signal ended it).
int wait_for(pid_t child);
// Runs kasf_train to completion and returns its exit status.
int run_kasf_train(const std::vector<std::string>& args, const std::string& log);
// Polls `log` until it contains `text` (true) or `seconds` pass (false).
bool wait_for_text(const std::string& log, const std::string& text, double seconds);

}  // namespace kasf::training::testing
