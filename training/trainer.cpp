#include "training/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>

#include "datasets/batcher.h"
#include "framework/io/atomic_file.h"
#include "framework/io/error.h"
#include "layers/state_dict_io.h"
#include "models/pose_lifter.h"
#include "models/model_config.h"
#include "optim/adamw.h"
#include "optim/early_stopping.h"
#include "optim/reduce_lr_on_plateau.h"
#include "optim/warmup.h"
#include "training/checkpoint.h"
#include "training/evaluate.h"
#include "training/experiment.h"
#include "training/losses.h"
#include "training/metrics_log.h"
#include "training/progress_bar.h"
#include "training/stop_signal.h"
#include "training/training_curves.h"
#include "training/training_data.h"

namespace kasf::training {
namespace {

using Clock = std::chrono::steady_clock;

std::string run_file(const Experiment& experiment, const char* name) {
  return (std::filesystem::path(experiment.checkpoint().directory()) / name).string();
}

void write_text_file(const std::string& path, const std::string& text) {
  io::AtomicFile output(path);
  {
    std::ofstream out(output.temp_path());
    out << text;
    if (!out.flush()) throw std::runtime_error("cannot write '" + output.temp_path() + "'");
  }
  output.commit();
}

std::vector<NamedParameter> named_parameters(const Module& model) {
  std::vector<NamedParameter> out;
  for (const auto& [name, value] : model.named_parameters()) out.push_back({name, value});
  return out;
}

AdamWOptions adamw_options(const OptimizerConfig& c) {
  return {c.learning_rate(), c.beta1(), c.beta2(), c.eps(), c.weight_decay()};
}

ReduceLROnPlateauOptions plateau_options(const ScheduleConfig& c) {
  ReduceLROnPlateauOptions options;
  options.factor = c.plateau_factor();
  options.patience = c.plateau_patience();
  options.threshold = c.plateau_threshold();
  options.cooldown = c.plateau_cooldown();
  options.min_lr = c.min_learning_rate();
  return options;
}

// The parts of a definition that must not change when a run resumes (the rest, e.g. the number of
// epochs or logging, may).
std::string resume_identity(const Experiment& e) {
  return e.model().DebugString() + e.data().DebugString() + e.optimizer().DebugString() + e.loss().DebugString() +
         std::to_string(e.seed());
}

void add(LossSums& sums, const LossTerms& terms, int64_t samples) {
  sums.mpjpe += terms.mpjpe.item() * samples;
  sums.n_mpjpe += terms.n_mpjpe.item() * samples;
  sums.velocity += terms.velocity.item() * samples;
  sums.total += terms.total.item() * samples;
  sums.samples += samples;
}

std::string format_mm(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f mm", value);
  return text;
}

class Session {
 public:
  Session(const Experiment& experiment, const TrainerOptions& options)
      : experiment_(experiment), options_(options), data_(load_training_data(experiment)),
        init_generator_(experiment.seed()),
        model_(models::build_model(experiment.model(), init_generator_)),
        optimizer_(named_parameters(*model_), adamw_options(experiment.optimizer())),
        plateau_(plateau_options(experiment.schedule())),
        early_stopping_(experiment.schedule().early_stopping_patience()),
        warmup_(experiment.optimizer().learning_rate(), experiment.schedule().warmup_epochs()),
        position_{0, 0, experiment.seed(), 0} {}

  TrainingResult run() {
    model_->to(options_.device);  // before restore(): the optimizer's moments follow the parameters
    std::filesystem::create_directories(experiment_.checkpoint().directory());
    if (options_.resume)
      restore();
    else if (std::filesystem::exists(latest_checkpoint_path(experiment_)))
      throw std::invalid_argument("'" + latest_checkpoint_path(experiment_) +
                                  "' exists: pass --resume to continue that run, or choose another checkpoint.directory");
    write_text_file(run_file(experiment_, "experiment.prototxt"), to_text(experiment_));
    std::printf("%s: %lld parameters; %lld training clips, %lld validation clips (%s), %lld test clips\n",
                experiment_.name().c_str(), static_cast<long long>(model_->parameter_count()),
                static_cast<long long>(data_.train->size()), static_cast<long long>(data_.validation().size()),
                data_.validation_description.c_str(), static_cast<long long>(data_.test->size()));
    std::fflush(stdout);

    data::BatcherOptions batcher_options;
    batcher_options.batch_size = experiment_.data().batch_size();
    batcher_options.random_flip = experiment_.data().flip();
    batcher_options.seed = experiment_.seed();
    batcher_options.prefetch_batches = experiment_.data().prefetch_batches();
    data::Batcher batcher(*data_.train, batcher_options, position_);

    model_->train();
    while (epoch_ < experiment_.schedule().epochs()) {
      std::optional<TrainingResult> stop = run_epoch(batcher);
      if (stop) return *stop;
      if (early_stopping_.should_stop())
        return finish(TrainingOutcome::early_stopped, "early stopping: the validation MPJPE did not improve for " +
                                                          std::to_string(early_stopping_.patience()) + " epochs");
    }
    return finish(TrainingOutcome::finished, "finished " + std::to_string(epoch_) + " epochs");
  }

 private:
  void restore() {
    const std::string path = latest_checkpoint_path(experiment_);
    if (!std::filesystem::exists(path)) throw std::invalid_argument("--resume: there is no checkpoint '" + path + "'");
    const Checkpoint checkpoint = read_checkpoint(path);
    if (resume_identity(parse_experiment(checkpoint.experiment, path)) != resume_identity(experiment_))
      throw std::invalid_argument("--resume: '" + path +
                                  "' was written with another model, data, optimizer, loss or seed definition");
    load_state_dict(*model_, checkpoint.model, true, path);
    optimizer_.load_state(checkpoint.optimizer);
    plateau_.load_state(checkpoint.plateau);
    early_stopping_.load_state(checkpoint.early_stopping);
    epoch_ = checkpoint.epoch;
    step_ = checkpoint.step;
    losses_ = checkpoint.epoch_losses;
    position_ = checkpoint.data;
    restore_random_streams(checkpoint.random_streams, path);
    // Epochs the checkpoint has not seen end are run again.
    records_ = read_metrics_log(metrics_log_path(experiment_));
    std::erase_if(records_, [&](const EpochRecord& r) { return r.epoch >= epoch_; });
    std::printf("resumed from '%s' at epoch %lld, step %lld\n", path.c_str(), static_cast<long long>(epoch_ + 1),
                static_cast<long long>(step_));
  }

  void restore_random_streams(const std::vector<RandomStreamState>& saved, const std::string& path) {
    const NamedGenerators streams = model_->named_generators();
    if (saved.size() != streams.size())
      throw io::FormatError("'" + path + "': random_streams holds " + std::to_string(saved.size()) +
                            " streams, the model has " + std::to_string(streams.size()));
    for (const auto& [name, generator] : streams) {
      const auto entry = std::ranges::find(saved, name, &RandomStreamState::name);
      if (entry == saved.end()) throw io::FormatError("'" + path + "': random_streams has no entry '" + name + "'");
      generator->set_state(entry->seed, entry->offset);
    }
  }

  Checkpoint snapshot(const data::BatcherPosition& position) const {
    Checkpoint c;
    c.model = to_weight_file(*model_);
    c.model.attributes = models::config_to_attributes(model_->config());
    c.optimizer = optimizer_.state();
    c.plateau = plateau_.state();
    c.early_stopping = early_stopping_.state();
    c.epoch = epoch_;
    c.step = step_;
    c.epoch_losses = losses_;
    c.data = position;
    for (const auto& [name, generator] : model_->named_generators())
      c.random_streams.push_back({name, generator->seed(), generator->offset()});
    c.experiment = to_text(experiment_);
    return c;
  }

  TrainingResult interrupted(const data::BatcherPosition& position) {
    write_checkpoint(latest_checkpoint_path(experiment_), snapshot(position));
    const int signal = stop_signal();
    return {TrainingOutcome::interrupted, signal,
            "stopped by signal " + std::to_string(signal) + " at epoch " + std::to_string(epoch_ + 1) + ", step " +
                std::to_string(step_) + "; continue with --resume"};
  }

  TrainingResult non_finite_loss(double total) const {
    const std::string latest = latest_checkpoint_path(experiment_);
    return {TrainingOutcome::non_finite_loss, 0,
            std::string("the loss is ") + (std::isnan(total) ? "NaN" : total > 0 ? "+infinity" : "-infinity") + " at epoch " + std::to_string(epoch_ + 1) + ", step " +
                std::to_string(step_ + 1) + "; stopped. " +
                (std::filesystem::exists(latest) ? "'" + latest + "' holds the last good state"
                                                 : std::string("no checkpoint had been written yet"))};
  }

  // Trains the rest of the current epoch and validates; a result when the run has to stop.
  std::optional<TrainingResult> run_epoch(data::Batcher& batcher) {
    const ScheduleConfig& schedule = experiment_.schedule();
    if (schedule.warmup() && warmup_.covers(epoch_)) optimizer_.set_lr(warmup_.lr(epoch_));
    const double lr = optimizer_.lr();
    const int64_t batch_size = experiment_.data().batch_size();
    int64_t done = (batcher.position().index + batch_size - 1) / batch_size;
    const LoggingConfig& logging = experiment_.logging();
    ProgressBar progress(epoch_, schedule.epochs(), batcher.batches_per_epoch(), done, losses_.samples,
                         logging.progress_bar(), logging.progress_interval_seconds(),
                         logging.plain_progress_interval_seconds());
    const LossWeights weights{experiment_.loss().lambda_n_mpjpe(), experiment_.loss().lambda_velocity()};
    const auto start = Clock::now();
    const int64_t samples_before = losses_.samples;

    while (auto batch = batcher.next()) {
      const Tensor prediction = model_->forward(batch->input.to(options_.device));
      optimizer_.zero_grad();
      const LossTerms terms = training_loss(prediction, batch->label.to(options_.device), weights);
      const double total = terms.total.item();
      if (!std::isfinite(total)) return non_finite_loss(total);
      terms.total.backward();
      optimizer_.step();
      ++step_;
      add(losses_, terms, static_cast<int64_t>(batch->clips.size()));
      progress.update(++done, losses_, lr);
      const int64_t every = experiment_.checkpoint().every_steps();
      if (every > 0 && step_ % every == 0)
        write_checkpoint(latest_checkpoint_path(experiment_), snapshot(batcher.position()));
      if (step_ == options_.hang_after_step) hang();
      if (stop_signal() != 0) return interrupted(batcher.position());
    }
    progress.finish(losses_, lr);
    const double train_seconds = std::chrono::duration<double>(Clock::now() - start).count();

    const eval::Summary validation =
        evaluate(*model_, data_.validation(), batch_size, experiment_.data().flip());
    model_->train();
    const double mpjpe = validation.overall.mpjpe;
    const bool best = early_stopping_.observe(mpjpe);
    if (!schedule.warmup() || epoch_ > schedule.warmup_epochs()) optimizer_.set_lr(plateau_.step(mpjpe, lr));

    record_epoch(lr, validation, best, std::chrono::duration<double>(Clock::now() - start).count(),
                 (losses_.samples - samples_before) / train_seconds);
    ++epoch_;
    losses_ = LossSums{};
    const Checkpoint checkpoint = snapshot(batcher.position());
    write_checkpoint(latest_checkpoint_path(experiment_), checkpoint);
    if (best) write_checkpoint(best_checkpoint_path(experiment_), checkpoint);
    if (stop_signal() != 0) return interrupted(batcher.position());
    return std::nullopt;
  }

  void record_epoch(double lr, const eval::Summary& validation, bool best, double seconds, double samples_per_second) {
    const double n = static_cast<double>(losses_.samples);
    EpochRecord r;
    r.epoch = epoch_;
    r.step = step_;
    r.learning_rate = lr;
    r.loss_mpjpe = losses_.mpjpe / n;
    r.loss_n_mpjpe = losses_.n_mpjpe / n;
    r.loss_velocity = losses_.velocity / n;
    r.loss_total = losses_.total / n;
    r.validation_mpjpe = validation.overall.mpjpe;
    r.validation_p_mpjpe = validation.overall.p_mpjpe;
    r.validation_n_mpjpe = validation.overall.n_mpjpe;
    r.best = best;
    r.seconds = seconds;
    r.samples_per_second = samples_per_second;
    records_.push_back(r);
    write_metrics_log(metrics_log_path(experiment_), records_);
    if (experiment_.logging().plot()) write_training_curves(training_curves_path(experiment_), records_);
    std::printf("epoch %lld/%d: loss %.5f (mpjpe %.5f, n-mpjpe %.5f, velocity %.5f) | validation MPJPE %s, "
                "P-MPJPE %s | lr %.3e | %.1f s, %.1f samples/s%s\n",
                static_cast<long long>(epoch_ + 1), experiment_.schedule().epochs(), r.loss_total, r.loss_mpjpe,
                r.loss_n_mpjpe, r.loss_velocity, format_mm(r.validation_mpjpe).c_str(),
                format_mm(r.validation_p_mpjpe).c_str(), lr, seconds, samples_per_second, best ? " [best]" : "");
    std::fflush(stdout);
  }

  void hang() const {
    std::fprintf(stderr, "hanging after step %lld (--hang-after-step)\n", static_cast<long long>(step_));
    std::fflush(stderr);
    while (stop_signal() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  // Evaluates the best checkpoint on the validation and test clips.
  TrainingResult finish(TrainingOutcome outcome, const std::string& why) {
    const std::string best = best_checkpoint_path(experiment_);
    if (!std::filesystem::exists(best)) return {outcome, 0, why + "; no epoch had a finite validation MPJPE"};
    load_state_dict(*model_, io::read_weight_file(best), true, best);
    const int64_t batch_size = experiment_.data().batch_size();
    const bool flip = experiment_.data().flip();
    const eval::Summary validation = evaluate(*model_, data_.validation(), batch_size, flip);
    const eval::Summary test = evaluate(*model_, *data_.test, batch_size, flip);
    const std::string message = why + "; best checkpoint '" + best + "': validation MPJPE " +
                                format_mm(validation.overall.mpjpe) + ", P-MPJPE " +
                                format_mm(validation.overall.p_mpjpe) + "; test MPJPE " + format_mm(test.overall.mpjpe) +
                                ", P-MPJPE " + format_mm(test.overall.p_mpjpe);
    return {outcome, 0, message};
  }

  const Experiment& experiment_;
  const TrainerOptions options_;
  TrainingData data_;
  Generator init_generator_;
  std::unique_ptr<models::PoseLifter> model_;
  AdamW optimizer_;
  ReduceLROnPlateau plateau_;
  EarlyStopping early_stopping_;
  LinearWarmup warmup_;
  int64_t epoch_ = 0;
  int64_t step_ = 0;
  LossSums losses_;
  data::BatcherPosition position_;
  std::vector<EpochRecord> records_;
};

}  // namespace

std::string latest_checkpoint_path(const Experiment& experiment) { return run_file(experiment, "latest.ckpt.h5"); }
std::string best_checkpoint_path(const Experiment& experiment) { return run_file(experiment, "best.ckpt.h5"); }
std::string metrics_log_path(const Experiment& experiment) { return run_file(experiment, "metrics.jsonl"); }
std::string training_curves_path(const Experiment& experiment) { return run_file(experiment, "training_curves.png"); }

TrainingResult train(const Experiment& experiment, const TrainerOptions& options) {
  install_stop_handlers();
  return Session(experiment, options).run();
}

}  // namespace kasf::training
