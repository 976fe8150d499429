#include "training/trainer.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <span>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>

#include "datasets/batcher.h"
#include "framework/autograd.h"
#include "framework/data_parallel.h"
#include "framework/io/atomic_file.h"
#include "framework/ops.h"
#include "framework/io/error.h"
#include "layers/state_dict_io.h"
#include "models/inference.h"
#include "models/model_config.h"
#include "models/pose_lifter.h"
#include "optim/adamw.h"
#include "optim/cosine_decay.h"
#include "optim/early_stopping.h"
#include "optim/reduce_lr_on_plateau.h"
#include "optim/warmup.h"
#include "reporting/peak_memory.h"
#include "training/checkpoint.h"
#include "training/evaluate.h"
#include "training/experiment.h"
#include "training/loss_accumulator.h"
#include "training/losses.h"
#include "training/metrics_log.h"
#include "training/progress_bar.h"
#include "training/stop_signal.h"
#include "training/training_curves.h"
#include "training/training_data.h"
#include "training/training_report.h"

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

// [mpjpe, n_mpjpe, velocity, total] times `share`, outside the graph.
Tensor scaled_terms(const LossTerms& terms, float share) {
  NoGradGuard no_grad;
  std::vector<Tensor> parts;
  for (const Tensor* t : {&terms.mpjpe, &terms.n_mpjpe, &terms.velocity, &terms.total})
    parts.push_back(reshape(t->detach(), {1}));
  return mul_scalar(concat(parts, 0), share);
}

// Loss values are read from the device at least this often (and at every checkpoint and epoch
// end): where a non-finite loss is noticed. A fixed step count, so all ranks stop at the same step.
constexpr int64_t kLossCheckSteps = 50;

std::string format_mm(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f mm", value);
  return text;
}

class Session {
 public:
  Session(const Experiment& experiment, const TrainerOptions& options)
      : experiment_(experiment), options_(options),
        communicator_(options.communicator ? *options.communicator : single_process_),
        writer_(communicator_.rank() == 0), data_(load_training_data(experiment)),
        init_generator_(experiment.seed()),
        model_(models::build_model(experiment.model(), init_generator_)),
        optimizer_(named_parameters(*model_), adamw_options(experiment.optimizer())),
        plateau_(plateau_options(experiment.schedule())),
        early_stopping_(experiment.schedule().early_stopping_patience()),
        warmup_(experiment.optimizer().learning_rate(), experiment.schedule().warmup_epochs()),
        // A floor above the rate is allowed with PLATEAU decay (ReduceLROnPlateau ignores it),
        // which does not use this one.
        cosine_(experiment.optimizer().learning_rate(),
                std::min(experiment.schedule().min_learning_rate(), experiment.optimizer().learning_rate())),
        position_{0, 0, experiment.seed(), 0}, losses_(options.device) {
    if (communicator_.size() > 1) {
      check_shards();
      std::vector<Tensor> parameters;
      for (const auto& [name, value] : model_->named_parameters()) parameters.push_back(value);
      model_->to(options_.device);  // the reducer's buckets live beside the parameters
      reducer_.emplace(communicator_, parameters, options_.reducer);
    }
  }

  TrainingResult run() {
    model_->to(options_.device);  // before restore(): the optimizer's moments follow the parameters
    model_->set_recompute_blocks(experiment_.recompute_blocks());
    std::filesystem::create_directories(experiment_.checkpoint().directory());
    if (options_.resume)
      restore();
    else if (std::filesystem::exists(latest_checkpoint_path(experiment_)))
      throw std::invalid_argument("'" + latest_checkpoint_path(experiment_) +
                                  "' exists: pass --resume to continue that run, or choose another checkpoint.directory");
    if (writer_) report_start();

    data::BatcherOptions batcher_options;
    batcher_options.batch_size = experiment_.data().batch_size();
    batcher_options.random_flip = experiment_.data().flip();
    batcher_options.seed = experiment_.seed();
    batcher_options.prefetch_batches = experiment_.data().prefetch_batches();
    batcher_options.shard_index = communicator_.rank();
    batcher_options.shard_count = communicator_.size();
    data::Batcher batcher(*data_.train, batcher_options, position_);

    model_->train();
    started_ = Clock::now();
    while (epoch_ < experiment_.schedule().epochs()) {
      if (const std::optional<std::string> spent = time_budget_spent())
        return finish(TrainingOutcome::time_budget, *spent);
      std::optional<TrainingResult> stop = run_epoch(batcher);
      if (stop) return *stop;
      if (early_stopping_.should_stop())
        return finish(TrainingOutcome::early_stopped, "early stopping: the validation MPJPE did not improve for " +
                                                          std::to_string(early_stopping_.patience()) + " epochs");
    }
    return finish(TrainingOutcome::finished, "finished " + std::to_string(epoch_) + " epochs");
  }

 private:
  void report_start() const {
    write_text_file(run_file(experiment_, "experiment.prototxt"), to_text(experiment_));
    write_report("running: epoch " + std::to_string(epoch_ + 1) + " of " +
                 std::to_string(experiment_.schedule().epochs()) + " started", true);
    std::printf("%s: %lld parameters; %lld training clips, %lld validation clips (%s), %lld test clips%s\n",
                experiment_.name().c_str(), static_cast<long long>(model_->parameter_count()),
                static_cast<long long>(data_.train->size()), static_cast<long long>(data_.validation().size()),
                data_.validation_description.c_str(), static_cast<long long>(data_.test->size()),
                communicator_.size() > 1 ? ("; " + std::to_string(communicator_.size()) + " ranks").c_str() : "");
    std::fflush(stdout);
  }

  // Every rank needs at least one clip of every batch, the last one of an epoch included.
  void check_shards() const {
    const int64_t batch = experiment_.data().batch_size(), ranks = communicator_.size();
    const int64_t last = data_.train->size() % batch;
    if (batch < ranks || (last > 0 && last < ranks))
      throw std::invalid_argument("data.batch_size " + std::to_string(batch) + " with " +
                                  std::to_string(data_.train->size()) + " training clips leaves a batch of " +
                                  std::to_string(batch < ranks ? batch : last) + " clips for " +
                                  std::to_string(ranks) + " ranks: every rank needs a clip of every batch");
  }

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
    elapsed_before_ = checkpoint.elapsed_seconds;
    losses_.restore(checkpoint.epoch_losses);
    position_ = checkpoint.data;
    restore_random_streams(checkpoint.random_streams, path);
    // Epochs the checkpoint has not seen end are run again.
    records_ = read_metrics_log(metrics_log_path(experiment_));
    std::erase_if(records_, [&](const EpochRecord& r) { return r.epoch >= epoch_; });
    if (writer_)
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
    // The tools lift and evaluate at the rate the model was trained at (models::trained_frame_step).
    c.model.attributes[models::kTrainedFrameStepAttribute] = static_cast<int64_t>(experiment_.data().frame_step());
    c.optimizer = optimizer_.state();
    c.plateau = plateau_.state();
    c.early_stopping = early_stopping_.state();
    c.epoch = epoch_;
    c.step = step_;
    c.elapsed_seconds = elapsed_seconds();
    c.epoch_losses = losses_.sums();
    c.data = position;
    for (const auto& [name, generator] : model_->named_generators())
      c.random_streams.push_back({name, generator->seed(), generator->offset()});
    c.experiment = to_text(experiment_);
    return c;
  }

  // Writes the latest checkpoint (rank 0) unless the loss turned non-finite since the last one.
  std::optional<TrainingResult> save_latest(const data::BatcherPosition& position) {
    losses_.flush();
    if (losses_.non_finite()) return non_finite_loss(*losses_.non_finite());
    if (writer_) write_checkpoint(latest_checkpoint_path(experiment_), snapshot(position));
    return std::nullopt;
  }

  TrainingResult interrupted(const data::BatcherPosition& position) {
    if (std::optional<TrainingResult> bad = save_latest(position)) return *bad;
    const int signal = stop_signal();
    return {TrainingOutcome::interrupted, signal,
            "stopped by signal " + std::to_string(signal) + " at epoch " + std::to_string(epoch_ + 1) + ", step " +
                std::to_string(step_) + "; continue with --resume"};
  }

  TrainingResult non_finite_loss(const NonFiniteLoss& bad) const {
    const std::string latest = latest_checkpoint_path(experiment_);
    const double total = bad.total;
    return {TrainingOutcome::non_finite_loss, 0,
            std::string("the loss is ") + (std::isnan(total) ? "NaN" : total > 0 ? "+infinity" : "-infinity") +
                " at epoch " + std::to_string(bad.epoch + 1) + ", step " + std::to_string(bad.step) + "; stopped. " +
                (std::filesystem::exists(latest) ? "'" + latest + "' holds the last good state"
                                                 : std::string("no checkpoint had been written yet"))};
  }

  // Training time of the whole run, resumed parts included.
  double elapsed_seconds() const {
    return elapsed_before_ + std::chrono::duration<double>(Clock::now() - started_).count();
  }

  // Why no further epoch fits in schedule.time_budget_minutes (judged by the last epoch's duration),
  // or nothing. Rank 0 decides for every rank, whose clocks differ slightly.
  std::optional<std::string> time_budget_spent() {
    const double budget = experiment_.schedule().time_budget_minutes() * 60.0;
    if (budget <= 0 || last_epoch_seconds_ <= 0) return std::nullopt;
    const double elapsed = elapsed_seconds();
    const float stop = elapsed + last_epoch_seconds_ > budget ? 1.0f : 0.0f;
    if (communicator_.all_gather(std::span(&stop, 1), "the time budget decision")[0][0] == 0.0f) return std::nullopt;
    char why[160];
    std::snprintf(why, sizeof why, "time budget: %.1f of %.1f minutes used, an epoch takes %.1f s", elapsed / 60.0,
                  budget / 60.0, last_epoch_seconds_);
    return why;
  }

  // With PLATEAU decay the official warm-up sets the rate at the start of epochs 0..warmup_epochs.
  // With a cosine decay it rises every step over epochs 0..warmup_epochs-1 instead: on long epochs
  // the official form spends a whole epoch at lr/100 (docs/results.md, the 50 fps run).
  bool warmup_per_step() const { return experiment_.schedule().decay() != ScheduleConfig::PLATEAU; }
  bool warming_up() const {
    const ScheduleConfig& schedule = experiment_.schedule();
    if (!schedule.warmup()) return false;
    return warmup_per_step() ? epoch_ < schedule.warmup_epochs() : warmup_.covers(epoch_);
  }
  // The warm-up rate of the step after `done` batches of this epoch's `batches`.
  double warmup_lr(int64_t done, int64_t batches) const {
    if (!warmup_per_step()) return warmup_.lr(epoch_);
    return warmup_.lr_at(static_cast<double>(epoch_) + static_cast<double>(done) / static_cast<double>(batches));
  }

  // Where the cosine decay stands at the next step of this epoch, `done` of `batches` steps done, and
  // what each step adds. Over epochs: the fraction of schedule.epochs done. Over the time budget: the
  // budget fraction used now, each step the last epoch's time (validation included) spread over its
  // steps (0 before a first epoch); rank 0's clock decides, so every rank steps with the same rates.
  struct DecayPace {
    double fraction = 0, per_step = 0;
  };
  std::optional<DecayPace> cosine_pace(int64_t done, int64_t batches) {
    const ScheduleConfig& schedule = experiment_.schedule();
    if (schedule.decay() == ScheduleConfig::PLATEAU || warming_up()) return std::nullopt;
    if (schedule.decay() == ScheduleConfig::COSINE_OVER_EPOCHS) {
      const double steps = static_cast<double>(batches) * static_cast<double>(schedule.epochs());
      return DecayPace{static_cast<double>(epoch_ * batches + done) / steps, 1.0 / steps};
    }
    const double budget = schedule.time_budget_minutes() * 60.0;
    const std::array<float, 2> pace{static_cast<float>(elapsed_seconds() / budget),
                                    static_cast<float>(last_epoch_seconds_ / batches / budget)};
    const std::vector<float> decided = communicator_.all_gather(std::span(pace), "the learning-rate pace")[0];
    return DecayPace{decided[0], decided[1]};
  }

  // Trains the rest of the current epoch and validates; a result when the run has to stop.
  std::optional<TrainingResult> run_epoch(data::Batcher& batcher) {
    const ScheduleConfig& schedule = experiment_.schedule();
    const int64_t batch_size = experiment_.data().batch_size();
    int64_t done = (batcher.position().index + batch_size - 1) / batch_size;
    const int64_t batches = batcher.batches_per_epoch();
    const bool warming = warming_up();
    if (warming) optimizer_.set_lr(warmup_lr(done, batches));
    const std::optional<DecayPace> pace = cosine_pace(done, batches);
    if (pace) optimizer_.set_lr(cosine_.lr(pace->fraction));
    const double lr = optimizer_.lr();
    const LoggingConfig& logging = experiment_.logging();
    ProgressBar progress(epoch_, schedule.epochs(), batches, done, losses_.samples(),
                         writer_ && logging.progress_bar(), logging.progress_interval_seconds(),
                         logging.plain_progress_interval_seconds());
    const LossWeights weights{experiment_.loss().lambda_n_mpjpe(), experiment_.loss().lambda_velocity()};
    const auto start = Clock::now();
    const int64_t samples_before = losses_.samples();
    const auto current_sums = [this] {
      losses_.flush();
      return losses_.sums();
    };

    for (int64_t steps = 0; auto batch = batcher.next(); ++steps) {
      if (pace) optimizer_.set_lr(cosine_.lr(pace->fraction + static_cast<double>(steps) * pace->per_step));
      if (warming && warmup_per_step()) optimizer_.set_lr(warmup_lr(done, batches));
      train_step(*batch, weights);
      progress.update(++done, current_sums, optimizer_.lr());
      const int64_t every = experiment_.checkpoint().every_steps();
      if (every > 0 && step_ % every == 0) {
        if (std::optional<TrainingResult> bad = save_latest(batcher.position())) return bad;
      } else if (step_ % kLossCheckSteps == 0) {
        losses_.flush();
        if (losses_.non_finite()) return non_finite_loss(*losses_.non_finite());
      }
      if (options_.on_step) options_.on_step({epoch_, step_, communicator_.rank()});
      if (stop_signal() != 0) return interrupted(batcher.position());
    }
    losses_.flush();
    if (losses_.non_finite()) return non_finite_loss(*losses_.non_finite());
    progress.finish(losses_.sums(), optimizer_.lr());
    const double train_seconds = std::chrono::duration<double>(Clock::now() - start).count();

    const eval::Summary validation =
        evaluate(*model_, data_.validation(), batch_size, experiment_.data().flip(), communicator_);
    model_->train();
    const double mpjpe = validation.overall.mpjpe;
    const bool best = early_stopping_.observe(mpjpe);
    if (schedule.decay() == ScheduleConfig::PLATEAU && !warming_up()) optimizer_.set_lr(plateau_.step(mpjpe, lr));

    last_epoch_seconds_ = std::chrono::duration<double>(Clock::now() - start).count();
    record_epoch(lr, validation, best, last_epoch_seconds_,
                 (losses_.samples() - samples_before) / train_seconds, train_seconds);
    ++epoch_;
    losses_.reset();
    if (writer_) {
      const Checkpoint checkpoint = snapshot(batcher.position());
      write_checkpoint(latest_checkpoint_path(experiment_), checkpoint);
      if (best) write_checkpoint(best_checkpoint_path(experiment_), checkpoint);
    }
    if (stop_signal() != 0) return interrupted(batcher.position());
    return std::nullopt;
  }

  // One optimizer step on this rank's shard of `batch`; the loss terms go to losses_.
  void train_step(const data::Batch& batch, const LossWeights& weights) {
    // Each rank's loss is scaled by its share of the global batch: the summed gradients and loss
    // terms are then the global batch's means.
    const float share = static_cast<float>(batch.shard.size) / static_cast<float>(batch.shard.global);
    const DataParallelStep step{batch.shard, &communicator_};
    std::optional<DataParallelScope> scope;
    if (reducer_) scope.emplace(step);
    const Tensor prediction = model_->forward(batch.input.to(options_.device));
    optimizer_.zero_grad();
    const LossTerms terms = training_loss(prediction, batch.label.to(options_.device), weights);
    const Tensor means = scaled_terms(terms, share);
    if (reducer_) {
      const int64_t loss_sum = communicator_.start_sum(means, "the loss all-reduce");
      run_backward(terms.total, Tensor::scalar(share, options_.device),
                   [this](TensorImpl* leaf) { reducer_->gradient_ready(leaf); });
      reducer_->finish();
      communicator_.wait(loss_sum);
    } else {
      terms.total.backward();
    }
    optimizer_.step();
    ++step_;
    losses_.add(means, batch.shard.global, epoch_, step_);
  }

  // ", N ranks, X % waiting for the gradient all-reduce" of the epoch's training time, or "".
  std::string all_reduce_share(double train_seconds) {
    if (!reducer_) return "";
    char text[96];
    std::snprintf(text, sizeof text, ", %d ranks, %.1f %% waiting for the gradient all-reduce", communicator_.size(),
                  100.0 * reducer_->take_wait_seconds() / train_seconds);
    return text;
  }

  void record_epoch(double lr, const eval::Summary& validation, bool best, double seconds, double samples_per_second,
                    double train_seconds) {
    const LossSums& losses = losses_.sums();
    const double n = static_cast<double>(losses.samples);
    EpochRecord r;
    r.epoch = epoch_;
    r.step = step_;
    r.learning_rate = lr;
    r.loss_mpjpe = losses.mpjpe / n;
    r.loss_n_mpjpe = losses.n_mpjpe / n;
    r.loss_velocity = losses.velocity / n;
    r.loss_total = losses.total / n;
    r.validation_mpjpe = validation.overall.mpjpe;
    r.validation_p_mpjpe = validation.overall.p_mpjpe;
    r.validation_n_mpjpe = validation.overall.n_mpjpe;
    r.best = best;
    r.seconds = seconds;
    r.samples_per_second = samples_per_second;
    records_.push_back(r);
    if (!writer_) return;
    write_metrics_log(metrics_log_path(experiment_), records_);
    if (experiment_.logging().plot()) write_training_curves(training_curves_path(experiment_), records_);
    write_report("running: epoch " + std::to_string(epoch_ + 1) + " of " +
                 std::to_string(experiment_.schedule().epochs()) + " done", true);
    std::printf("epoch %lld/%d: loss %.5f (mpjpe %.5f, n-mpjpe %.5f, velocity %.5f) | validation MPJPE %s, "
                "P-MPJPE %s | lr %.3e | %.1f s, %.1f samples/s, peak RSS %.2f GB%s%s\n",
                static_cast<long long>(epoch_ + 1), experiment_.schedule().epochs(), r.loss_total, r.loss_mpjpe,
                r.loss_n_mpjpe, r.loss_velocity, format_mm(r.validation_mpjpe).c_str(),
                format_mm(r.validation_p_mpjpe).c_str(), lr, seconds, samples_per_second, peak_resident_gb(),
                all_reduce_share(train_seconds).c_str(), best ? " [best]" : "");
    std::fflush(stdout);
  }

  void write_report(const std::string& status, bool running) const {
    write_training_report(training_report_path(experiment_),
                          {experiment_.name(), to_text(experiment_), status, running, records_, final_});
  }

 public:
  // The report of the ended run (rank 0 only): how it ended, and the final tables when it finished.
  void write_final_report(const TrainingResult& result) const {
    if (writer_) write_report(result.message, false);
  }

 private:
  // Evaluates the best checkpoint on the validation and test clips.
  TrainingResult finish(TrainingOutcome outcome, const std::string& why) {
    const std::string best = best_checkpoint_path(experiment_);
    communicator_.all_gather({}, "waiting for rank 0's last checkpoint");  // a barrier: rank 0 wrote it
    if (!std::filesystem::exists(best)) return {outcome, 0, why + "; no epoch had a finite validation MPJPE"};
    load_state_dict(*model_, io::read_weight_file(best), true, best);
    const int64_t batch_size = experiment_.data().batch_size();
    const bool flip = experiment_.data().flip();
    const eval::Summary validation = evaluate(*model_, data_.validation(), batch_size, flip, communicator_);
    const eval::Summary test = evaluate(*model_, *data_.test, batch_size, flip, communicator_);
    final_ = FinalEvaluation{validation, test, model_->parameter_count(), model_->config().n_frames()};
    const std::string message = why + "; best checkpoint '" + best + "': validation MPJPE " +
                                format_mm(validation.overall.mpjpe) + ", P-MPJPE " +
                                format_mm(validation.overall.p_mpjpe) + "; test MPJPE " + format_mm(test.overall.mpjpe) +
                                ", P-MPJPE " + format_mm(test.overall.p_mpjpe);
    return {outcome, 0, message};
  }

  const Experiment& experiment_;
  const TrainerOptions options_;
  distributed::SingleProcess single_process_;
  distributed::Communicator& communicator_;
  const bool writer_;  // rank 0: writes the run directory and reports
  TrainingData data_;
  Generator init_generator_;
  std::unique_ptr<models::PoseLifter> model_;
  AdamW optimizer_;
  ReduceLROnPlateau plateau_;
  EarlyStopping early_stopping_;
  LinearWarmup warmup_;
  CosineDecay cosine_;
  int64_t epoch_ = 0;
  double last_epoch_seconds_ = 0;  // of this process; 0 before its first epoch
  double elapsed_before_ = 0;      // training time of the run before this process resumed it
  Clock::time_point started_ = Clock::now();
  int64_t step_ = 0;
  data::BatcherPosition position_;
  LossAccumulator losses_;
  std::optional<distributed::GradientReducer> reducer_;
  std::vector<EpochRecord> records_;
  std::optional<FinalEvaluation> final_;
};

}  // namespace

std::string latest_checkpoint_path(const Experiment& experiment) { return run_file(experiment, "latest.ckpt.h5"); }
std::string best_checkpoint_path(const Experiment& experiment) { return run_file(experiment, "best.ckpt.h5"); }
std::string metrics_log_path(const Experiment& experiment) { return run_file(experiment, "metrics.jsonl"); }
std::string training_curves_path(const Experiment& experiment) { return run_file(experiment, "training_curves.svg"); }
std::string training_report_path(const Experiment& experiment) { return run_file(experiment, "report.html"); }

TrainingResult train(const Experiment& experiment, const TrainerOptions& options) {
  install_stop_handlers();
  Session session(experiment, options);
  const TrainingResult result = session.run();
  session.write_final_report(result);
  return result;
}

}  // namespace kasf::training
