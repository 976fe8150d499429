// Experiment definitions: defaults, derived values, and errors that name the file and the field.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>

#include "models/model_config.h"
#include "training/experiment.h"

namespace kasf::training {
namespace {

const char* const kMinimal = "data { dataset_file: \"d.h5\" }\n";

std::string error_of(const std::string& text) {
  try {
    parse_experiment(text, "exp.prototxt");
  } catch (const models::ConfigError& error) {
    return error.what();
  }
  return "no error";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(experiment_definition)

// Every definition shipped in configs/ parses and validates: experiments (*_experiment.prototxt)
// as experiments, the others as model definitions. Their paths (model_file) are relative to the
// repository root, where the tools are run.
BOOST_AUTO_TEST_CASE(every_shipped_configuration_is_valid) {
  const std::filesystem::path test_directory = std::filesystem::current_path();
  std::filesystem::current_path("../..");
  int experiments = 0, models = 0;
  for (const auto& entry : std::filesystem::directory_iterator("configs")) {
    const std::string path = entry.path().string();
    if (entry.path().extension() != ".prototxt") continue;
    BOOST_TEST_CONTEXT(path) {
      if (path.ends_with("_experiment.prototxt")) {
        BOOST_CHECK_NO_THROW(read_experiment(path));
        ++experiments;
      } else {
        BOOST_CHECK_NO_THROW(models::read_model_config(path));
        ++models;
      }
    }
  }
  std::filesystem::current_path(test_directory);
  BOOST_TEST(experiments >= 7);
  BOOST_TEST(models >= 5);
}

BOOST_AUTO_TEST_CASE(defaults_are_the_official_sportspose_training_setup) {
  const Experiment e = parse_experiment(kMinimal, "exp.prototxt");
  BOOST_TEST(e.schedule().epochs() == 800);
  BOOST_TEST(e.schedule().warmup_epochs() == 10);
  BOOST_TEST(e.schedule().plateau_factor() == 0.9);
  BOOST_TEST(e.schedule().plateau_patience() == 2);
  BOOST_TEST(e.schedule().early_stopping_patience() == 20);
  BOOST_TEST(e.optimizer().learning_rate() == 5e-4);
  BOOST_TEST(e.optimizer().weight_decay() == 0.01);
  BOOST_TEST(e.loss().lambda_n_mpjpe() == 0.5);
  BOOST_TEST(e.loss().lambda_velocity() == 20.0);
  BOOST_TEST(e.data().batch_size() == 32);
  BOOST_TEST(e.data().flip());
  BOOST_TEST(e.seed() == 114514u);
  BOOST_TEST(e.model().n_layers() == 26);
  BOOST_TEST(e.model().dim_feat() == 128);
  // Derived: the official strides for 27-frame clips.
  BOOST_TEST(e.data().train_stride() == 9);
  BOOST_TEST(e.data().test_stride() == 27);
  BOOST_TEST(e.data().validation().source() == ValidationConfig::HELD_OUT_TRAIN_SOURCES);
}

BOOST_AUTO_TEST_CASE(printed_definition_states_every_default_and_parses_to_the_same) {
  const Experiment e = parse_experiment(kMinimal, "exp.prototxt");
  const std::string text = to_text(e);
  BOOST_TEST(contains(text, "epochs: 800"));
  BOOST_TEST(contains(text, "train_stride: 9"));
  BOOST_TEST(contains(text, "n_layers: 26"));
  BOOST_TEST(contains(text, "source: HELD_OUT_TRAIN_SOURCES"));
  BOOST_TEST(parse_experiment(text, "printed").SerializeAsString() == e.SerializeAsString());
}

BOOST_AUTO_TEST_CASE(explicit_values_and_strides_follow_the_clip_length) {
  const Experiment e = parse_experiment(
      "model { n_layers: 2 dim_feat: 32 num_heads: 4 n_frames: 9 neighbour_num: 2 }\n"
      "data { dataset_file: \"d.h5\" clip_length: 9 batch_size: 8 }\n"
      "schedule { epochs: 3 }\n",
      "exp.prototxt");
  BOOST_TEST(e.model().n_layers() == 2);
  BOOST_TEST(e.data().train_stride() == 3);
  BOOST_TEST(e.data().test_stride() == 9);
  BOOST_TEST(e.schedule().epochs() == 3);
}

BOOST_AUTO_TEST_CASE(unknown_fields_are_errors_naming_file_and_field) {
  const std::string message = error_of(std::string(kMinimal) + "schedule { epoch: 3 }\n");
  BOOST_TEST(contains(message, "exp.prototxt"));
  BOOST_TEST(contains(message, "epoch"));
  BOOST_TEST(contains(message, "line 2"));
}

BOOST_AUTO_TEST_CASE(invalid_values_are_errors_naming_file_and_field) {
  // `data` blocks with the required dataset file and `fields`.
  auto data = [](const std::string& fields) { return "data { dataset_file: \"d.h5\" " + fields + " }\n"; };
  BOOST_TEST(contains(error_of(data("batch_size: 0")), "exp.prototxt: field data.batch_size"));
  BOOST_TEST(contains(error_of("data { }"), "field data.dataset_file: is required"));
  BOOST_TEST(contains(error_of(data("clip_length: 9")), "field data.clip_length"));
  BOOST_TEST(contains(error_of(data("clip_rule: \"cubic\"")), "field data.clip_rule"));
  BOOST_TEST(contains(error_of(data("frame_step: 0")), "field data.frame_step"));
  BOOST_TEST(contains(error_of(std::string(kMinimal) + "optimizer { learning_rate: -1 }"), "optimizer.learning_rate"));
  BOOST_TEST(contains(error_of(data("validation { held_out_fraction: 1.5 }")), "data.validation.held_out_fraction"));
  BOOST_TEST(contains(error_of(data("validation { source: NAMED_SPLIT }")), "data.validation.split"));
  BOOST_TEST(contains(error_of(std::string(kMinimal) + "model { dim_feat: 30 num_heads: 4 }"), "dim_feat"));
  BOOST_TEST(contains(error_of(std::string(kMinimal) + "precision: \"fp16\""), "field precision"));
  BOOST_TEST(contains(error_of(std::string(kMinimal) + "schedule { time_budget_minutes: -2 }"),
                      "field schedule.time_budget_minutes"));
  BOOST_TEST(contains(error_of(std::string(kMinimal) + "schedule { decay: COSINE_OVER_TIME_BUDGET }"),
                      "field schedule.decay"));
  BOOST_TEST(contains(error_of(std::string(kMinimal) + "optimizer { learning_rate: 1e-3 } schedule { decay: "
                                                       "COSINE_OVER_TIME_BUDGET time_budget_minutes: 5 min_learning_rate: 2e-3 }"),
                      "field schedule.min_learning_rate"));
  BOOST_TEST(contains(error_of(std::string(kMinimal) + "optimizer { learning_rate: 1e-3 } schedule { decay: "
                                                       "COSINE_OVER_EPOCHS min_learning_rate: 2e-3 }"),
                      "field schedule.min_learning_rate"));
  // Over epochs the decay needs no time budget.
  BOOST_TEST(error_of(std::string(kMinimal) + "schedule { decay: COSINE_OVER_EPOCHS }") == "no error");
}

BOOST_AUTO_TEST_CASE(missing_file_is_an_error_naming_it) {
  BOOST_CHECK_EXCEPTION(read_experiment("no/such/experiment.prototxt"), models::ConfigError,
                        [](const models::ConfigError& e) { return contains(e.what(), "no/such/experiment.prototxt"); });
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf::training
