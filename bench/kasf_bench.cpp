// kasf_bench: time and peak memory of a model definition (by default the official SportsPose one)
// on a device: eval-mode inference, or one training step (train-mode forward, the official loss,
// backward, AdamW).
//
//   kasf_bench --config configs/kasportsformer_sportspose.prototxt --mode infer --batch 32 [--repeats 2]
//              [--device cpu|cuda]
// Prints one line per run and a summary line; run one scenario per process, since the peak
// resident memory is per process. On a GPU each run ends with a device synchronisation.
#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <variant>
#include <stdexcept>
#include <string>

#include "framework/autograd.h"
#include "layers/init.h"
#include "models/pose_lifter.h"
#include "models/model_config.h"
#include "optim/adamw.h"
#include "reporting/peak_memory.h"
#include "tools/command_line.h"
#include "tools/device_option.h"
#include "tools/precision_option.h"
#include "training/losses.h"

namespace {

using namespace kasf;
using Clock = std::chrono::steady_clock;

// The official definition's forward cost per 27-frame clip (issue 3); a training step is about three
// forwards. Other definitions report their parameter count instead of GFLOP/s.
constexpr double kForwardGflopPerClip = 27.5;
constexpr int64_t kOfficialParameters = 29'365'668;
constexpr double kTrainStepForwards = 3.0;

namespace po = boost::program_options;

struct Scenario {
  std::string config;
  bool train = false;
  int64_t batch = 1;
  int repeats = 2;
  Device device = Device::CPU;
  bool recompute_blocks = false;
  std::string precision;
};

// The scenario of the command line, or the exit status when the tool should stop at once.
std::variant<Scenario, int> parse_arguments(int argc, char** argv) {
  Scenario s;
  std::string mode;
  po::options_description options("options");
  options.add_options()("help", "show this help")(
      "config", po::value(&s.config)->default_value("configs/kasportsformer_sportspose.prototxt"),
      "model definition (protobuf text)")("mode", po::value(&mode)->required(), "infer or train")(
      "batch", po::value(&s.batch)->required(), "clips per batch")(
      "repeats", po::value(&s.repeats)->default_value(2), "timed runs after the warm-up run")(
      "device", po::value(&s.device)->default_value(Device::CPU, "cpu"), kDeviceOptionHelp)(
      "recompute-blocks", po::bool_switch(&s.recompute_blocks), "training keeps only the blocks' inputs (recompute_blocks)")(
      "precision", po::value(&s.precision)->default_value("fp32"), kPrecisionOptionHelp);
  po::variables_map vm;
  const char* usage =
      "usage: kasf_bench --mode infer|train --batch N [--config M.prototxt] [--repeats R] [--device D] "
      "[--recompute-blocks] [--precision fp32|bf16]\n";
  if (const std::optional<int> status =
          parse_command_line("kasf_bench", argc, argv, options, usage, vm, {{"batch", 1, 65536}, {"repeats", 1, 1e6}}))
    return *status;
  if (mode != "infer" && mode != "train") throw std::invalid_argument("--mode must be infer or train, got " + mode);
  s.train = mode == "train";
  require_device(s.device);
  apply_precision_option(s.precision, s.device);
  return s;
}

std::vector<NamedParameter> named(const Module& model) {
  std::vector<NamedParameter> out;
  for (const auto& [name, value] : model.named_parameters()) out.push_back({name, value});
  return out;
}

int run(int argc, char** argv) {
  const std::variant<Scenario, int> parsed = parse_arguments(argc, argv);
  if (const int* status = std::get_if<int>(&parsed)) return *status;
  const Scenario& s = std::get<Scenario>(parsed);
  Generator generator(20240601);
  const std::unique_ptr<models::PoseLifter> lifter = models::build_model(models::read_model_config(s.config), generator);
  models::PoseLifter& model = *lifter;
  model.to(s.device);
  model.set_recompute_blocks(s.recompute_blocks);
  const Shape clip_shape = {s.batch, model.config().n_frames(), model.config().num_joints(), model.config().dim_in()};
  const Tensor input = uniform_tensor(clip_shape, 1.0f, generator).to(s.device);
  const Tensor target =
      uniform_tensor({s.batch, model.config().n_frames(), model.config().num_joints(), 3}, 1.0f, generator).to(s.device);
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
  Backend& backend = backend_for(s.device);

  const double gflop = kForwardGflopPerClip * static_cast<double>(s.batch) * (s.train ? kTrainStepForwards : 1.0);
  double best = 1e30;
  // The first run is measured too: it pays for first-touch page faults, which later runs reuse.
  for (int r = 0; r <= s.repeats; ++r) {
    const auto start = Clock::now();
    step();
    backend.synchronize();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("  run %d%s: %.3f s\n", r, r == 0 ? " (warm-up)" : "", seconds);
    std::fflush(stdout);
    if (r > 0) best = std::min(best, seconds);
  }
  const int64_t parameters = model.parameter_count();
  char rate[64];
  if (parameters == kOfficialParameters)
    std::snprintf(rate, sizeof rate, "%.1f GFLOP/s", gflop / best);
  else
    std::snprintf(rate, sizeof rate, "%lld parameters", static_cast<long long>(parameters));
  // The scenario as run_benchmarks.sh names it: mode, then +recompute and +bf16 where they apply.
  const std::string scenario = std::string(s.train ? "train" : "infer") + (s.recompute_blocks ? "+recompute" : "") +
                               (s.precision == "bf16" ? "+bf16" : "");
  std::printf("kasf %s B=%lld on %s: %.3f s/batch, %.2f clips/s, %s, peak RSS %.2f GB (tensors %.2f GB)\n",
              scenario.c_str(), static_cast<long long>(s.batch),
              device_name(s.device), best,
              static_cast<double>(s.batch) / best, rate, peak_resident_gb(),
              static_cast<double>(backend.memory_use().peak_in_use) / (1 << 30));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kasf_bench: %s\n", e.what());
    return 1;
  }
}
