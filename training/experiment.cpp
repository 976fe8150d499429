#include "training/experiment.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <cmath>
#include <regex>
#include <sstream>

#include "datasets/clips.h"
#include "models/model_config.h"
#include "models/text_definition.h"

namespace kasf::training {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using models::ConfigError;

// Sets every unset field that has a declared default, and recurses into set or defaultable
// sub-messages (not into an unset oneof member: that would select it).
void set_defaults(Message& message) {
  const auto* descriptor = message.GetDescriptor();
  const auto* reflection = message.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor& field = *descriptor->field(i);
    if (field.is_repeated()) continue;
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field.containing_oneof() == nullptr || reflection->HasField(message, &field))
        set_defaults(*reflection->MutableMessage(&message, &field));
      continue;
    }
    if (reflection->HasField(message, &field) || !field.has_default_value()) continue;
    switch (field.cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32: reflection->SetInt32(&message, &field, field.default_value_int32()); break;
      case FieldDescriptor::CPPTYPE_INT64: reflection->SetInt64(&message, &field, field.default_value_int64()); break;
      case FieldDescriptor::CPPTYPE_UINT32: reflection->SetUInt32(&message, &field, field.default_value_uint32()); break;
      case FieldDescriptor::CPPTYPE_UINT64: reflection->SetUInt64(&message, &field, field.default_value_uint64()); break;
      case FieldDescriptor::CPPTYPE_DOUBLE: reflection->SetDouble(&message, &field, field.default_value_double()); break;
      case FieldDescriptor::CPPTYPE_FLOAT: reflection->SetFloat(&message, &field, field.default_value_float()); break;
      case FieldDescriptor::CPPTYPE_BOOL: reflection->SetBool(&message, &field, field.default_value_bool()); break;
      case FieldDescriptor::CPPTYPE_STRING: reflection->SetString(&message, &field, field.default_value_string()); break;
      case FieldDescriptor::CPPTYPE_ENUM: reflection->SetEnum(&message, &field, field.default_value_enum()); break;
      case FieldDescriptor::CPPTYPE_MESSAGE: break;
    }
  }
}

// Reports the first failed requirement as "<source>: field <name>: <what> (got <value>)".
class Checker {
 public:
  explicit Checker(const std::string& source) : source_(source) {}
  template <class Value>
  void require(bool ok, const std::string& field, const std::string& what, const Value& got) const {
    if (ok) return;
    std::ostringstream message;
    message << source_ << ": field " << field << ": " << what << " (got " << std::boolalpha << got << ")";
    throw ConfigError(message.str());
  }

 private:
  const std::string& source_;
};

bool finite_positive(double x) { return std::isfinite(x) && x > 0.0; }
bool finite_non_negative(double x) { return std::isfinite(x) && x >= 0.0; }

void validate_data(const DataConfig& d, const models::ModelConfig& model, const Checker& check) {
  check.require(!d.dataset_file().empty(), "data.dataset_file", "is required", "nothing");
  check.require(!d.train_split().empty(), "data.train_split", "must not be empty", "''");
  check.require(!d.test_split().empty(), "data.test_split", "must not be empty", "''");
  try {
    data::parse_clip_rule(d.clip_rule());
  } catch (const std::exception&) {
    check.require(false, "data.clip_rule", "must be motionbert, sportspose or worldpose", d.clip_rule());
  }
  check.require(d.clip_length() == model.n_frames(), "data.clip_length",
                "must equal the model's n_frames = " + std::to_string(model.n_frames()), d.clip_length());
  check.require(d.train_stride() >= 1 && d.train_stride() <= d.clip_length(), "data.train_stride",
                "must lie in [1, clip_length]", d.train_stride());
  check.require(d.test_stride() >= 1 && d.test_stride() <= d.clip_length(), "data.test_stride",
                "must lie in [1, clip_length]", d.test_stride());
  check.require(d.frame_step() >= 1, "data.frame_step", "must be positive", d.frame_step());
  check.require(d.batch_size() >= 1, "data.batch_size", "must be positive", d.batch_size());
  check.require(d.prefetch_batches() >= 0, "data.prefetch_batches", "must not be negative", d.prefetch_batches());
  const ValidationConfig& v = d.validation();
  check.require(v.held_out_fraction() > 0.0 && v.held_out_fraction() < 1.0, "data.validation.held_out_fraction",
                "must lie in (0, 1)", v.held_out_fraction());
  try {
    std::regex pattern(v.source_group_regex());
  } catch (const std::regex_error& error) {
    check.require(false, "data.validation.source_group_regex", std::string("is no valid regex: ") + error.what(),
                  v.source_group_regex());
  }
  if (v.source() == ValidationConfig::NAMED_SPLIT)
    check.require(!v.split().empty(), "data.validation.split", "is required with source NAMED_SPLIT", "nothing");
}

void validate_optimization(const Experiment& e, const Checker& check) {
  const OptimizerConfig& o = e.optimizer();
  check.require(finite_positive(o.learning_rate()), "optimizer.learning_rate", "must be positive", o.learning_rate());
  check.require(finite_non_negative(o.weight_decay()), "optimizer.weight_decay", "must not be negative", o.weight_decay());
  check.require(o.beta1() >= 0.0 && o.beta1() < 1.0, "optimizer.beta1", "must lie in [0, 1)", o.beta1());
  check.require(o.beta2() >= 0.0 && o.beta2() < 1.0, "optimizer.beta2", "must lie in [0, 1)", o.beta2());
  check.require(finite_positive(o.eps()), "optimizer.eps", "must be positive", o.eps());
  const ScheduleConfig& s = e.schedule();
  check.require(s.epochs() >= 1, "schedule.epochs", "must be positive", s.epochs());
  check.require(s.warmup_epochs() >= 1, "schedule.warmup_epochs", "must be positive", s.warmup_epochs());
  check.require(s.plateau_factor() > 0.0 && s.plateau_factor() < 1.0, "schedule.plateau_factor", "must lie in (0, 1)",
                s.plateau_factor());
  check.require(s.plateau_patience() >= 0, "schedule.plateau_patience", "must not be negative", s.plateau_patience());
  check.require(finite_non_negative(s.plateau_threshold()), "schedule.plateau_threshold", "must not be negative",
                s.plateau_threshold());
  check.require(s.plateau_cooldown() >= 0, "schedule.plateau_cooldown", "must not be negative", s.plateau_cooldown());
  check.require(finite_non_negative(s.min_learning_rate()), "schedule.min_learning_rate", "must not be negative",
                s.min_learning_rate());
  check.require(finite_non_negative(s.time_budget_minutes()), "schedule.time_budget_minutes", "must not be negative",
                s.time_budget_minutes());
  check.require(s.decay() != ScheduleConfig::COSINE_OVER_TIME_BUDGET || s.time_budget_minutes() > 0,
                "schedule.decay", "COSINE_OVER_TIME_BUDGET needs a positive schedule.time_budget_minutes",
                s.time_budget_minutes());
  check.require(s.decay() == ScheduleConfig::PLATEAU || s.min_learning_rate() <= o.learning_rate(),
                "schedule.min_learning_rate", "must not exceed optimizer.learning_rate with a cosine decay",
                s.min_learning_rate());
  check.require(s.early_stopping_patience() >= 1, "schedule.early_stopping_patience", "must be positive",
                s.early_stopping_patience());
  check.require(finite_non_negative(e.loss().lambda_n_mpjpe()), "loss.lambda_n_mpjpe", "must not be negative",
                e.loss().lambda_n_mpjpe());
  check.require(finite_non_negative(e.loss().lambda_velocity()), "loss.lambda_velocity", "must not be negative",
                e.loss().lambda_velocity());
}

}  // namespace

void complete(Experiment& experiment) {
  if (experiment.has_model_file()) {
    const std::string path = experiment.model_file();
    *experiment.mutable_model() = models::read_model_config(path);
  }
  set_defaults(experiment);
  if (!experiment.has_model()) experiment.mutable_model();  // the official model
  set_defaults(*experiment.mutable_model());
  DataConfig& data = *experiment.mutable_data();
  if (!data.has_train_stride()) data.set_train_stride(std::max(1, data.clip_length() / 3));
  if (!data.has_test_stride()) data.set_test_stride(data.clip_length());
}

void validate(const Experiment& e, const std::string& source) {
  const Checker check(source);
  check.require(!e.name().empty(), "name", "must not be empty", "''");
  models::validate(e.model(), source + " (model)");
  validate_data(e.data(), e.model(), check);
  validate_optimization(e, check);
  check.require(e.checkpoint().every_steps() >= 0, "checkpoint.every_steps", "must not be negative",
                e.checkpoint().every_steps());
  check.require(!e.checkpoint().directory().empty(), "checkpoint.directory", "must not be empty", "''");
  check.require(finite_non_negative(e.logging().progress_interval_seconds()), "logging.progress_interval_seconds",
                "must not be negative", e.logging().progress_interval_seconds());
  check.require(finite_non_negative(e.logging().plain_progress_interval_seconds()),
                "logging.plain_progress_interval_seconds", "must not be negative",
                e.logging().plain_progress_interval_seconds());
  check.require(e.threads() >= 0, "threads", "must not be negative", e.threads());
  check.require(e.precision() == "fp32" || e.precision() == "bf16", "precision", "must be fp32 or bf16",
                "'" + e.precision() + "'");
}

Experiment parse_experiment(const std::string& text, const std::string& source) {
  Experiment experiment;
  models::parse_text_definition(text, source, "experiment definition", experiment);
  complete(experiment);
  validate(experiment, source);
  return experiment;
}

Experiment read_experiment(const std::string& path) {
  return parse_experiment(models::read_text_file(path, "experiment definition"), path);
}

std::string to_text(const Experiment& experiment) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(experiment, &text);
  return text;
}

}  // namespace kasf::training
