// kasf_train as a process on a tiny model and synthetic data: crash recovery (a real SIGKILL
// mid-epoch, then --resume, ends bit-for-bit where an uninterrupted run ends), SIGTERM, a NaN loss,
// the run directory's files and the command line's errors.
#include <boost/test/unit_test.hpp>

#include <signal.h>

#include <cmath>
#include <filesystem>

#include "framework/io/weight_file.h"
#include "models/inference.h"
#include "models/model_config.h"
#include "tests/support/cuda_presence.h"
#include "training/checkpoint.h"
#include "training/metrics_log.h"
#include "training_test_support.h"

namespace kasf::training {
namespace {

using namespace testing;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Every weight and every optimizer moment equal to the last bit.
void check_identical(const Checkpoint& a, const Checkpoint& b) {
  BOOST_TEST(a.step == b.step);
  BOOST_TEST(a.epoch == b.epoch);
  BOOST_TEST_REQUIRE(a.model.weights.size() == b.model.weights.size());
  for (size_t i = 0; i < a.model.weights.size(); ++i)
    BOOST_TEST_CONTEXT(a.model.weights[i].first) { BOOST_TEST(a.model.weights[i].second.values == b.model.weights[i].second.values); }
  BOOST_TEST_REQUIRE(a.optimizer.parameters.size() == b.optimizer.parameters.size());
  for (size_t i = 0; i < a.optimizer.parameters.size(); ++i) {
    BOOST_TEST(a.optimizer.parameters[i].exp_avg == b.optimizer.parameters[i].exp_avg);
    BOOST_TEST(a.optimizer.parameters[i].exp_avg_sq == b.optimizer.parameters[i].exp_avg_sq);
  }
  BOOST_TEST(a.optimizer.lr == b.optimizer.lr);
  BOOST_TEST(a.early_stopping.best == b.early_stopping.best);
}

// Trains the tiny experiment (one epoch, run directory `dir`/run) with `insert` put after the opening
// of its block `block` ("model { ", "data { "); returns the log.
std::string train_tiny_with(const TempDir& dir, const std::string& block, const std::string& insert) {
  write_synthetic_dataset(dir.file("data.h5"), 5);
  std::string experiment = tiny_experiment(dir.file("data.h5"), dir.file("run"), 1, 0);
  experiment.insert(experiment.find(block) + block.size(), insert);
  write_text(dir.file("run.prototxt"), experiment);
  const std::string log = dir.file("run.log");
  BOOST_TEST_REQUIRE(run_kasf_train({"--config", dir.file("run.prototxt"), "--threads", "1"}, log) == 0,
                     kasf::test::read_file(log));
  return kasf::test::read_file(log);
}

// Trains the tiny experiment for `epochs` in the run directory t.dir/`run` with `schedule` in place of
// its "warmup_epochs: 1" (the rest of its schedule block); returns the epoch records.
std::vector<EpochRecord> train_tiny_scheduled(const TinyRun& t, const std::string& run, int epochs,
                                              const std::string& schedule) {
  std::string text = tiny_experiment(t.dataset, t.dir.file(run), epochs, 0);
  const std::string plain = "warmup_epochs: 1 }";
  BOOST_TEST_REQUIRE(text.find(plain) != std::string::npos);
  text.replace(text.find(plain), plain.size(), schedule + " }");
  const std::string config = t.dir.file(run + ".prototxt"), log = t.dir.file(run + ".log");
  write_text(config, text);
  BOOST_TEST_REQUIRE(run_kasf_train({"--config", config, "--threads", "1"}, log) == 0, kasf::test::read_file(log));
  return read_metrics_log(t.dir.file(run + "/metrics.jsonl"));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(kasf_train)

BOOST_AUTO_TEST_CASE(resume_after_sigkill_mid_epoch_ends_with_identical_weights) {
  TinyRun t;
  const std::string whole = t.config("whole", 3, 2), crashed = t.config("crashed", 3, 2);
  BOOST_TEST_REQUIRE(run_kasf_train({"--config", whole, "--threads", "1"}, t.dir.file("whole.log")) == 0);
  const Checkpoint expected = read_checkpoint(t.dir.file("whole/latest.ckpt.h5"));
  const int64_t steps_per_epoch = expected.step / 3;
  BOOST_TEST_REQUIRE(steps_per_epoch >= 4);

  // Hang at an odd step in the middle of the second epoch: the last checkpoint is one step older,
  // so the resumed run redoes work the killed one had done.
  const int64_t hang = steps_per_epoch + steps_per_epoch / 2 + (steps_per_epoch / 2 + steps_per_epoch + 1) % 2;
  const std::string log = t.dir.file("crashed.log");
  const pid_t child = start_hanging_kasf_train({"--config", crashed, "--threads", "1"}, log, {hang});
  const bool hanging = wait_for_text(log, "hanging after step", 120);
  ::kill(child, SIGKILL);
  BOOST_TEST(wait_for(child) == 128 + SIGKILL);
  BOOST_TEST_REQUIRE(hanging);
  BOOST_TEST(read_checkpoint(t.dir.file("crashed/latest.ckpt.h5")).step == hang - 1);

  BOOST_TEST_REQUIRE(run_kasf_train({"--config", crashed, "--threads", "1", "--resume"}, t.dir.file("resumed.log")) == 0);
  BOOST_TEST(contains(kasf::test::read_file(t.dir.file("resumed.log")), "resumed from"));
  check_identical(read_checkpoint(t.dir.file("crashed/latest.ckpt.h5")), expected);
  check_identical(read_checkpoint(t.dir.file("crashed/best.ckpt.h5")), read_checkpoint(t.dir.file("whole/best.ckpt.h5")));
  const auto whole_log = read_metrics_log(t.dir.file("whole/metrics.jsonl"));
  const auto resumed_log = read_metrics_log(t.dir.file("crashed/metrics.jsonl"));
  BOOST_TEST_REQUIRE(resumed_log.size() == whole_log.size());
  for (size_t e = 0; e < whole_log.size(); ++e) {
    BOOST_TEST(resumed_log[e].loss_total == whole_log[e].loss_total);
    BOOST_TEST(resumed_log[e].validation_mpjpe == whole_log[e].validation_mpjpe);
  }
}

BOOST_AUTO_TEST_CASE(sigterm_writes_a_checkpoint_and_exits_with_143) {
  TinyRun t;
  const std::string config = t.config("run", 2, 0);
  const std::string log = t.dir.file("run.log");
  const pid_t child = start_hanging_kasf_train({"--config", config, "--threads", "1"}, log, {3});
  const bool hanging = wait_for_text(log, "hanging after step", 120);
  ::kill(child, SIGTERM);
  BOOST_TEST(wait_for(child) == 128 + SIGTERM);
  BOOST_TEST_REQUIRE(hanging);
  BOOST_TEST(read_checkpoint(t.dir.file("run/latest.ckpt.h5")).step == 3);
  BOOST_TEST(contains(kasf::test::read_file(log), "--resume"));
}

BOOST_AUTO_TEST_CASE(a_nan_loss_stops_with_status_3_naming_epoch_and_step) {
  TempDir dir;
  write_synthetic_dataset(dir.file("data.h5"), 5, true);
  write_text(dir.file("run.prototxt"), tiny_experiment(dir.file("data.h5"), dir.file("run"), 2, 1));
  const std::string log = dir.file("run.log");
  BOOST_TEST(run_kasf_train({"--config", dir.file("run.prototxt"), "--threads", "1"}, log) == 3);
  BOOST_TEST(contains(kasf::test::read_file(log), "the loss is NaN at epoch 1, step"), kasf::test::read_file(log));
  if (std::filesystem::exists(dir.file("run/latest.ckpt.h5")))
    for (const auto& [key, array] : read_checkpoint(dir.file("run/latest.ckpt.h5")).model.weights)
      for (float v : array.values) BOOST_TEST_REQUIRE(std::isfinite(v));
}

BOOST_AUTO_TEST_CASE(mixste_trains_with_dropout_and_its_checkpoint_describes_it) {
  TempDir dir;
  const std::string log = train_tiny_with(dir, "model { ", "model_name: \"MixSTE\" qkv_bias: true ");
  // By hand, d = 16, mlp_ratio 4, 9 frames, 1 layer: embedding 64, positions 272 + 144, two blocks
  // of 2 x 32 (norms) + 816 (qkv) + 272 (proj) + 1088 + 1040 (MLP), two norms 64, head 32 + 51.
  BOOST_TEST(contains(log, "tiny: 7187 parameters"), log);
  const auto attributes = read_checkpoint(dir.file("run/best.ckpt.h5")).model.attributes;
  BOOST_TEST(models::config_from_attributes(attributes, "best.ckpt.h5").model_name() == "MixSTE");
}

// The checkpoints record data.frame_step (kasf_eval and kasf_infer ask for --frame-step when it is
// not 1).
BOOST_AUTO_TEST_CASE(the_checkpoints_record_the_frame_step) {
  TempDir dir;
  train_tiny_with(dir, "data { ", "frame_step: 2 ");
  for (const char* checkpoint : {"run/best.ckpt.h5", "run/latest.ckpt.h5"})
    BOOST_TEST(models::trained_frame_step(dir.file(checkpoint)).value_or(0) == 2, checkpoint);
}

// A budget one epoch overruns: the second epoch never starts, and the run ends like a finished one
// (exit 0, best checkpoint evaluated on the test clips). Without the budget the run does all 4 epochs.
BOOST_AUTO_TEST_CASE(the_time_budget_starts_no_epoch_that_would_end_after_it) {
  TinyRun t;
  const std::string config = t.config("run", 4, 0);
  const std::string log = t.dir.file("run.log");
  BOOST_TEST_REQUIRE(run_kasf_train({"--config", config, "--threads", "1", "--time-budget", "0.0001"}, log) == 0,
                     kasf::test::read_file(log));
  const std::string output = kasf::test::read_file(log);
  BOOST_TEST(contains(output, "time budget: "), output);
  BOOST_TEST(contains(output, "test MPJPE"), output);
  BOOST_TEST(read_metrics_log(t.dir.file("run/metrics.jsonl")).size() == 1u);
  BOOST_TEST(run_kasf_train({"--config", config, "--time-budget", "-1"}, t.dir.file("bad.log")) == 1);
  BOOST_TEST(contains(kasf::test::read_file(t.dir.file("bad.log")), "--time-budget"));
}

// The cosine decay follows the budget's clock: the peak rate at the start, a lower rate every epoch,
// and by the time the budget stops the run the rate is in the bottom quarter of its range. The
// checkpoint keeps the training time used, which a resumed run's budget continues from.
BOOST_AUTO_TEST_CASE(the_cosine_decay_reaches_its_floor_as_the_time_budget_ends) {
  TinyRun t;
  const double budget_minutes = 0.1;
  const auto records = train_tiny_scheduled(
      t, "run", 100000,
      "warmup: false decay: COSINE_OVER_TIME_BUDGET min_learning_rate: 0 time_budget_minutes: " +
          std::to_string(budget_minutes));
  BOOST_TEST(contains(kasf::test::read_file(t.dir.file("run.log")), "time budget: "));
  BOOST_TEST_REQUIRE(records.size() >= 6u,
                     records.size() << " epochs: a tiny one should take well under a tenth of the budget");
  const double peak = 5e-4;  // the tiny experiment's optimizer.learning_rate
  BOOST_TEST(records[0].learning_rate == peak, boost::test_tools::tolerance(1e-6));  // a few ms into the budget
  for (size_t i = 1; i < records.size(); ++i)
    BOOST_TEST_CONTEXT("epoch " << i) { BOOST_TEST(records[i].learning_rate < records[i - 1].learning_rate); }
  const Checkpoint last = read_checkpoint(t.dir.file("run/latest.ckpt.h5"));
  BOOST_TEST(last.optimizer.lr < 0.25 * peak);
  BOOST_TEST(last.elapsed_seconds > 0.6 * budget_minutes * 60.0);
  BOOST_TEST(last.elapsed_seconds < budget_minutes * 60.0 * 1.5);
}

// With the cosine decay the warm-up rises every step: epoch 0's last step runs nearly half-way up
// the line (the official per-epoch form keeps lr / 100 all through epoch 0), and the decay takes
// over as epoch warmup_epochs begins.
BOOST_AUTO_TEST_CASE(with_the_cosine_decay_the_warm_up_rises_every_step) {
  TinyRun t;
  const double peak = 5e-4, start = peak / 100;  // the tiny experiment's optimizer.learning_rate
  const std::string schedule =
      "warmup_epochs: 2 decay: COSINE_OVER_TIME_BUDGET min_learning_rate: 0 time_budget_minutes: 60";
  train_tiny_scheduled(t, "one", 1, schedule);
  const Checkpoint one = read_checkpoint(t.dir.file("one/latest.ckpt.h5"));
  const double steps = static_cast<double>(one.step);
  BOOST_TEST_REQUIRE(steps >= 4);
  BOOST_TEST(one.optimizer.lr == start + (peak - start) * ((steps - 1) / steps) / 2,
             boost::test_tools::tolerance(1e-12));
  const auto records = train_tiny_scheduled(t, "three", 3, schedule);
  BOOST_TEST_REQUIRE(records.size() == 3u);
  BOOST_TEST(records[0].learning_rate == start, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(records[1].learning_rate == start + (peak - start) / 2, boost::test_tools::tolerance(1e-9));
  // Epoch 2 begins the decay seconds into an hour's budget: just under the peak.
  BOOST_TEST(records[2].learning_rate < peak);
  BOOST_TEST(records[2].learning_rate > 0.99 * peak);
}

// The cosine decay over epochs follows the step count, not the clock: after a one-epoch per-step
// warm-up, every epoch starts at the curve's value for the fraction of the 4 epochs done, and the
// last step runs one step short of the floor.
BOOST_AUTO_TEST_CASE(the_cosine_decay_over_epochs_follows_the_steps) {
  TinyRun t;
  const auto records =
      train_tiny_scheduled(t, "run", 4, "warmup_epochs: 1 decay: COSINE_OVER_EPOCHS min_learning_rate: 1e-5");
  BOOST_TEST_REQUIRE(records.size() == 4u);
  const double peak = 5e-4, floor = 1e-5;
  const auto curve = [&](double f) { return floor + (peak - floor) * (1 + std::cos(std::acos(-1.0) * f)) / 2; };
  BOOST_TEST(records[0].learning_rate == peak / 100, boost::test_tools::tolerance(1e-9));
  for (size_t e = 1; e < 4; ++e)
    BOOST_TEST_CONTEXT("epoch " << e) {
      BOOST_TEST(records[e].learning_rate == curve(e / 4.0), boost::test_tools::tolerance(1e-9));
    }
  const Checkpoint last = read_checkpoint(t.dir.file("run/latest.ckpt.h5"));
  const double steps = static_cast<double>(last.step);
  BOOST_TEST(last.optimizer.lr == curve((steps - 1) / steps), boost::test_tools::tolerance(1e-12));
}

// A run stopped right after the last step of a per-step warm-up epoch resumes at that epoch's end,
// where the warm-up line has reached the full rate, and ends as the uninterrupted run does.
BOOST_AUTO_TEST_CASE(a_run_stopped_at_the_end_of_a_per_step_warm_up_resumes) {
  TinyRun t;
  const std::string schedule = "warmup_epochs: 1 decay: COSINE_OVER_EPOCHS min_learning_rate: 1e-5";
  train_tiny_scheduled(t, "whole", 2, schedule);
  const Checkpoint expected = read_checkpoint(t.dir.file("whole/latest.ckpt.h5"));
  const int64_t steps_per_epoch = expected.step / 2;
  std::string text = kasf::test::read_file(t.dir.file("whole.prototxt"));
  const std::string whole_dir = t.dir.file("whole"), stopped_dir = t.dir.file("stopped");
  text.replace(text.find(whole_dir), whole_dir.size(), stopped_dir);
  const std::string config = t.dir.file("stopped.prototxt"), log = t.dir.file("stopped.log");
  write_text(config, text);
  const pid_t child = start_hanging_kasf_train({"--config", config, "--threads", "1"}, log, {steps_per_epoch});
  const bool hanging = wait_for_text(log, "hanging after step", 120);
  ::kill(child, SIGTERM);
  BOOST_TEST(wait_for(child) == 128 + SIGTERM);
  BOOST_TEST_REQUIRE(hanging);
  BOOST_TEST_REQUIRE(read_checkpoint(t.dir.file("stopped/latest.ckpt.h5")).step == steps_per_epoch);
  const std::string resumed = t.dir.file("resumed.log");
  BOOST_TEST_REQUIRE(run_kasf_train({"--config", config, "--threads", "1", "--resume"}, resumed) == 0,
                     kasf::test::read_file(resumed));
  check_identical(read_checkpoint(t.dir.file("stopped/latest.ckpt.h5")), expected);
}

BOOST_AUTO_TEST_CASE(the_run_directory_holds_loadable_checkpoints_metrics_plot_and_report) {
  TinyRun t;
  const std::string config = t.config("run", 2, 0);
  const std::string log = t.dir.file("run.log");
  BOOST_TEST_REQUIRE(run_kasf_train({"--config", config, "--threads", "1"}, log) == 0);
  const std::string output = kasf::test::read_file(log);
  BOOST_TEST(contains(output, "epoch 1/2: loss"));
  BOOST_TEST(contains(output, "validation MPJPE"));
  BOOST_TEST(contains(output, "test MPJPE"));
  const io::WeightFile best = io::read_weight_file(t.dir.file("run/best.ckpt.h5"));
  BOOST_TEST(models::config_from_attributes(best.attributes, "best").dim_feat() == 16);
  const auto records = read_metrics_log(t.dir.file("run/metrics.jsonl"));
  BOOST_TEST_REQUIRE(records.size() == 2u);
  BOOST_TEST(records[0].learning_rate == 5e-6, boost::test_tools::tolerance(1e-9));  // warm-up epoch 0: lr / 100
  BOOST_TEST(records[1].learning_rate == 5e-4, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(std::filesystem::file_size(t.dir.file("run/training_curves.svg")) > 1000u);
  // The report of the finished run: no reload, the best checkpoint's tables (html_pages_test opens
  // such a page in a browser).
  const std::string report = kasf::test::read_file(t.dir.file("run/report.html"));
  BOOST_TEST(contains(report, "\"status\":\"finished 2 epochs"));
  BOOST_TEST(contains(report, "\"final\":{\"models\":"));
  BOOST_TEST(!contains(report, "http-equiv=\"refresh\""));
  BOOST_TEST(std::filesystem::exists(t.dir.file("run/experiment.prototxt")));
  // A second fresh run would overwrite the first: refused.
  BOOST_TEST(run_kasf_train({"--config", config}, log) == 1);
  BOOST_TEST(contains(kasf::test::read_file(log), "--resume"));
}

BOOST_AUTO_TEST_CASE(print_config_and_command_line_errors) {
  TinyRun t;
  const std::string config = t.config("run", 2, 0);
  const std::string log = t.dir.file("print.log");
  BOOST_TEST(run_kasf_train({"--config", config, "--print-config", "--official-protocol", "--epochs", "9"}, log) == 0);
  const std::string printed = kasf::test::read_file(log);
  BOOST_TEST(contains(printed, "source: TEST_SPLIT"));
  BOOST_TEST(contains(printed, "epochs: 9"));
  BOOST_TEST(contains(printed, "lambda_velocity: 20"));
  BOOST_TEST(run_kasf_train({"--config", config, "--bogus"}, log) == 2);
  BOOST_TEST(run_kasf_train({"--config", config, "--device", "tpu"}, log) == 2);
  BOOST_TEST(run_kasf_train({"--config", config, "--bucket-kib", "0"}, log) == 1);  // a numeric option out of range (tools/command_line.h)
  BOOST_TEST(contains(kasf::test::read_file(log), "--bucket-kib"));
  write_text(t.dir.file("bad.prototxt"), "data { dataset_file: \"x\" batch: 3 }");
  BOOST_TEST(run_kasf_train({"--config", t.dir.file("bad.prototxt")}, log) == 1);
  BOOST_TEST(contains(kasf::test::read_file(log), "bad.prototxt"));
  BOOST_TEST(contains(kasf::test::read_file(log), "batch"));
  BOOST_TEST(run_kasf_train({"--config", config, "--resume"}, log) == 1);
  BOOST_TEST(contains(kasf::test::read_file(log), "no checkpoint"));
}

BOOST_AUTO_TEST_CASE(device_cuda_trains_on_a_gpu_or_says_there_is_none) {
  TinyRun t;
  const std::string log = t.dir.file("cuda.log");
  const int status = run_kasf_train({"--config", t.config("run", 1, 0), "--device", "cuda"}, log);
  if (const std::optional<std::string> reason = kasf::test::cuda_unavailable_reason()) {
    BOOST_TEST(status == 1);
    BOOST_TEST(contains(kasf::test::read_file(log), "kasf_train: --device cuda: " + *reason));
    BOOST_TEST(!std::filesystem::exists(t.dir.file("run")));
  } else {
    BOOST_TEST(status == 0, kasf::test::read_file(log));
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf::training
