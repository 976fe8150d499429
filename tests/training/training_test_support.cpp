#include "training_test_support.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "datasets/dataset_file.h"
#include "tests/support/scratch_dir.h"

namespace kasf::training::testing {
namespace {

constexpr int64_t kJoints = 17, kFrames = 40;

// One split of `videos` 40-frame sources; every value is a smooth function of (video, frame, joint).
data::SplitData synthetic_split(const std::vector<std::string>& sources, bool nan_frame) {
  data::SplitData split;
  const int64_t n = static_cast<int64_t>(sources.size()) * kFrames;
  split.num_frames = n;
  auto& joint_2d = split.arrays["joint_2d"];
  auto& confidence = split.arrays["confidence"];
  auto& image = split.arrays["joint3d_image"];
  auto& scaled = split.arrays["joints_2.5d_image"];
  auto& factor = split.arrays["2.5d_factor"];
  auto& res_w = split.arrays["res_w"];
  auto& res_h = split.arrays["res_h"];
  joint_2d.shape = {n, kJoints, 2};
  confidence.shape = {n, kJoints};
  image.shape = scaled.shape = {n, kJoints, 3};
  factor.shape = res_w.shape = res_h.shape = {n};
  auto& source = split.strings["source"];
  auto& action = split.strings["action"];
  source.table = sources;
  action.table = {"run", "jump"};
  for (int64_t f = 0; f < n; ++f) {
    const int64_t v = f / kFrames, t = f % kFrames;
    for (int64_t j = 0; j < kJoints; ++j) {
      const double phase = 0.3 * t + 0.7 * v + 0.4 * j;
      const float u = static_cast<float>(500 + 8 * j * std::cos(0.5 * j) + 20 * std::sin(phase));
      const float w = static_cast<float>(500 + 10 * j + 15 * std::cos(phase));
      const float z = j == 0 ? 0.0f : static_cast<float>(30 * std::sin(0.2 * t + j));
      joint_2d.values.insert(joint_2d.values.end(), {u + 1.5f * std::sin(3.0f * f + j), w});
      confidence.values.push_back(0.9f);
      image.values.insert(image.values.end(), {u, w, z});
      scaled.values.insert(scaled.values.end(), {u, w, z});
    }
    factor.values.push_back(1.0f);
    res_w.values.push_back(1000.0f);
    res_h.values.push_back(1000.0f);
    source.index.push_back(static_cast<int32_t>(v));
    action.index.push_back(static_cast<int32_t>(v % 2));
  }
  // Finite, so that the dataset reader accepts it, but it overflows the forward pass to NaN.
  if (nan_frame) joint_2d.values[(kFrames * 2 + 5) * kJoints * 2] = std::numeric_limits<float>::max();
  return split;
}

}  // namespace

void write_synthetic_dataset(const std::string& path, int train_videos, bool nan_in_train) {
  std::vector<std::string> train_sources, test_sources = {"test0_cam0", "test1_cam0"};
  for (int k = 0; k < train_videos; ++k)
    for (int c = 0; c < 2; ++c) train_sources.push_back("rec" + std::to_string(k) + "_cam" + std::to_string(c));
  data::DatasetData dataset;
  dataset.splits["train"] = synthetic_split(train_sources, nan_in_train);
  dataset.splits["test"] = synthetic_split(test_sources, false);
  data::write_dataset_file(path, dataset);
}

std::string tiny_experiment(const std::string& dataset, const std::string& run_dir, int epochs, int every_steps) {
  std::ostringstream text;
  text << "name: \"tiny\"\n"
       // Dropout on: exact resumption must restore the dropout streams too.
       << "model { n_layers: 1 dim_feat: 16 num_heads: 2 dim_rep: 32 n_frames: 9 neighbour_num: 2\n"
       << "        drop: 0.1 attn_drop: 0.1 }\n"
       << "data { dataset_file: \"" << dataset << "\" clip_length: 9 batch_size: 8 prefetch_batches: 2\n"
       << "       validation { held_out_fraction: 0.25 source_group_regex: \"(.*)_cam[0-9]+\" } }\n"
       << "schedule { epochs: " << epochs << " warmup_epochs: 1 }\n"
       << "checkpoint { directory: \"" << run_dir << "\" every_steps: " << every_steps << " }\n"
       << "logging { progress_bar: false }\n"
       << "seed: 7\n";
  return text.str();
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

TinyRun::TinyRun() { write_synthetic_dataset(dataset, 5); }

std::string TinyRun::config(const std::string& run, int epochs, int every_steps) {
  const std::string path = dir.file(run + ".prototxt");
  write_text(path, tiny_experiment(dataset, dir.file(run), epochs, every_steps));
  return path;
}

namespace {

// Runs `program` with `args` and `environment` (name, value) added, output to `log`.
pid_t start_process(const std::string& program, const std::vector<std::string>& args, const std::string& log,
                    const std::vector<std::pair<std::string, std::string>>& environment) {
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    for (const auto& [name, value] : environment) ::setenv(name.c_str(), value.c_str(), 1);
    std::vector<std::string> copies{program};
    copies.insert(copies.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    std::_Exit(127);
  }
  return child;
}

std::vector<std::pair<std::string, std::string>> hang_environment(const Hang& hang) {
  return {{"KASF_TEST_HANG_AFTER_STEP", std::to_string(hang.after_step)},
          {"KASF_TEST_HANG_RANK", std::to_string(hang.rank)}};
}

}  // namespace

pid_t start_kasf_train(const std::vector<std::string>& args, const std::string& log) {
  return start_process(KASF_TRAIN_PATH, args, log, {});
}

pid_t start_hanging_kasf_train(const std::vector<std::string>& args, const std::string& log, const Hang& hang) {
  return start_process(KASF_TRAIN_WITH_STEP_HOOK_PATH, args, log, hang_environment(hang));
}

pid_t start_mpirun_kasf_train(int ranks, const std::vector<std::string>& args, const std::string& log,
                              const Hang& hang) {
  // Loopback only; no core binding (two ranks may share a core on a small machine).
  std::vector<std::string> mpirun_args{"-np", std::to_string(ranks), "--oversubscribe", "--bind-to", "none",
                                       "--mca", "btl", "self,vader", "--mca", "btl_vader_single_copy_mechanism", "none",
                                       hang.after_step > 0 ? KASF_TRAIN_WITH_STEP_HOOK_PATH : KASF_TRAIN_PATH};
  mpirun_args.insert(mpirun_args.end(), args.begin(), args.end());
  auto environment = hang_environment(hang);
  environment.insert(environment.end(), {{"OMPI_ALLOW_RUN_AS_ROOT", "1"}, {"OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"}});
  return start_process(KASF_MPIEXEC_PATH, mpirun_args, log, environment);
}

int wait_for(pid_t child) {
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int run_kasf_train(const std::vector<std::string>& args, const std::string& log) {
  return wait_for(start_kasf_train(args, log));
}

bool wait_for_text(const std::string& log, const std::string& text, double seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (kasf::test::read_file(log).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace kasf::training::testing
