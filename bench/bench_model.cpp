// Time and peak memory of the full KASportsFormer (the official SportsPose definition) on the CPU:
// eval-mode inference, or one training step (train-mode forward, the official loss, backward, AdamW).
//
// Usage: bench_model <config.prototxt> <infer|train> <batch size> [repeats, default 2]
// Prints one line per run and a summary line; run one scenario per process, since the peak
// resident memory (VmHWM) is per process.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "framework/autograd.h"
#include "layers/init.h"
#include "models/kasportsformer.h"
#include "models/model_config.h"
#include "optim/adamw.h"
#include "training/losses.h"

namespace {

using namespace kasf;
using Clock = std::chrono::steady_clock;

// The forward's cost per 27-frame clip (issue 3); a training step is about three forwards.
constexpr double kForwardGflopPerClip = 27.5;
constexpr double kTrainStepForwards = 3.0;

double peak_rss_gb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / (1024.0 * 1024.0);  // ru_maxrss is in KiB on Linux
}

struct Scenario {
  bool train;
  int64_t batch;
  int repeats;
};

Scenario parse_arguments(int argc, char** argv) {
  if (argc < 4 || argc > 5) throw std::invalid_argument("usage: bench_model <config> <infer|train> <batch> [repeats]");
  const std::string mode = argv[2];
  if (mode != "infer" && mode != "train") throw std::invalid_argument("mode must be infer or train, got " + mode);
  Scenario s{mode == "train", std::stoll(argv[3]), argc == 5 ? std::stoi(argv[4]) : 2};
  if (s.batch < 1 || s.repeats < 1) throw std::invalid_argument("batch and repeats must be positive");
  return s;
}

std::vector<NamedParameter> named(const Module& model) {
  std::vector<NamedParameter> out;
  for (const auto& [name, value] : model.named_parameters()) out.push_back({name, value});
  return out;
}

int run(int argc, char** argv) {
  const Scenario s = parse_arguments(argc, argv);
  Generator generator(20240601);
  models::KASportsFormer model(models::read_model_config(argv[1]), generator);
  const Shape clip_shape = {s.batch, model.config().n_frames(), model.config().num_joints(), model.config().dim_in()};
  const Tensor input = uniform_tensor(clip_shape, 1.0f, generator);
  const Tensor target = uniform_tensor({s.batch, model.config().n_frames(), model.config().num_joints(), 3}, 1.0f,
                                       generator);
  AdamW optimizer(named(model), AdamWOptions{});
  model.train(s.train);

  auto step = [&] {
    if (!s.train) {
      NoGradGuard no_grad;
      model.forward(input);
      return;
    }
    Tensor loss = training::training_loss(model.forward(input), target, training::LossWeights{}).total;
    loss.backward();
    optimizer.step();
    optimizer.zero_grad();
  };

  const double gflop = kForwardGflopPerClip * static_cast<double>(s.batch) * (s.train ? kTrainStepForwards : 1.0);
  double best = 1e30;
  // The first run is measured too: it pays for first-touch page faults, which later runs reuse.
  for (int r = 0; r <= s.repeats; ++r) {
    const auto start = Clock::now();
    step();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("  run %d%s: %.3f s\n", r, r == 0 ? " (warm-up)" : "", seconds);
    std::fflush(stdout);
    if (r > 0) best = std::min(best, seconds);
  }
  std::printf("kasf %s B=%lld: %.3f s/batch, %.2f clips/s, %.1f GFLOP/s, peak RSS %.2f GB\n",
              s.train ? "train" : "infer", static_cast<long long>(s.batch), best,
              static_cast<double>(s.batch) / best, gflop / best, peak_rss_gb());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_model: %s\n", e.what());
    return 1;
  }
}
