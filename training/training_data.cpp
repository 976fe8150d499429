#include "training/training_data.h"

#include <stdexcept>

#include "datasets/dataset_file.h"
#include "training/held_out_sources.h"

namespace kasf::training {
namespace {

data::SplitData take_split(data::DatasetData& file, const std::string& name, const std::string& path) {
  auto found = file.splits.find(name);
  if (found == file.splits.end()) throw std::invalid_argument("dataset file '" + path + "' has no split '" + name + "'");
  return found->second;
}

data::ClipDatasetOptions clip_options(const DataConfig& config, data::SplitRole role, uint64_t seed) {
  data::ClipDatasetOptions options;
  options.role = role;
  options.cutting.rule = data::parse_clip_rule(config.clip_rule());
  options.cutting.clip_length = config.clip_length();
  options.cutting.stride = role == data::SplitRole::train ? config.train_stride() : config.test_stride();
  options.cutting.frame_step = config.frame_step();
  options.ground_truth_2d = config.ground_truth_2d();
  options.resample_seed = seed;
  return options;
}

// Validation and test clips, with their ground truth prepared for scoring; errors name `what`.
std::unique_ptr<eval::TestClips> scored_clips(data::SplitData split, const DataConfig& config, uint64_t seed,
                                              const std::string& what) {
  try {
    return std::make_unique<eval::TestClips>(std::move(split), clip_options(config, data::SplitRole::test, seed));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("dataset file '" + config.dataset_file() + "', " + what + ": " + e.what());
  }
}

// kasf_train needs training frames; a test-only file (held-out subjects) can only be evaluated.
void check_trainable(const data::DatasetData& file, const DataConfig& config) {
  const std::string& path = config.dataset_file();
  const std::string& name = config.train_split();
  auto train = file.splits.find(name);
  std::string splits;
  for (const auto& [split, data] : file.splits)
    splits += (splits.empty() ? "" : ", ") + split + " (" + std::to_string(data.num_frames) + " rows)";
  const std::string remedy = "; kasf_train needs training frames: convert the training data into the file "
                             "(kasf_convert --dataset train=train.pkl ...), or evaluate this file with kasf_eval";
  if (train == file.splits.end())
    throw std::invalid_argument("dataset file '" + path + "' has no training split '" + name + "' (its splits: " +
                                (splits.empty() ? "none" : splits) + ")" + remedy);
  if (train->second.num_frames == 0)
    throw std::invalid_argument("dataset file '" + path + "': the training split '" + name +
                                "' holds no frames (a test-only file)" + remedy);
  if (train->second.clip_length != 0 && config.validation().source() == ValidationConfig::HELD_OUT_TRAIN_SOURCES)
    throw std::invalid_argument("dataset file '" + path + "': the training split '" + name +
                                "' holds pre-cut clips, which name no sources to hold out for validation; set "
                                "data { validation { source: TEST_SPLIT } } (or NAMED_SPLIT)");
}

}  // namespace

TrainingData load_training_data(const Experiment& experiment) {
  const DataConfig& config = experiment.data();
  const ValidationConfig& validation = config.validation();
  data::DatasetData file = data::read_dataset_file(config.dataset_file());
  const std::string& path = config.dataset_file();
  check_trainable(file, config);

  TrainingData out;
  data::SplitData train = take_split(file, config.train_split(), path);
  out.test = scored_clips(take_split(file, config.test_split(), path), config, experiment.seed(),
                          "test split '" + config.test_split() + "'");
  switch (validation.source()) {
    case ValidationConfig::HELD_OUT_TRAIN_SOURCES: {
      const std::string& regex = validation.source_group_regex();
      const std::vector<std::string> groups = pick_held_out_groups(
          train, config.train_split(), validation.held_out_fraction(), regex, experiment.seed());
      out.validation_description = std::to_string(groups.size()) + " source group(s) held out of split '" +
                                   config.train_split() + "'";
      out.held_out = scored_clips(select_sources(train, groups, regex, true), config, experiment.seed(),
                                  "validation set (" + out.validation_description + ")");
      train = select_sources(train, groups, regex, false);
      break;
    }
    case ValidationConfig::NAMED_SPLIT:
      out.validation_description = "split '" + validation.split() + "'";
      out.held_out = scored_clips(take_split(file, validation.split(), path), config, experiment.seed(),
                                  "validation set (" + out.validation_description + ")");
      break;
    case ValidationConfig::TEST_SPLIT:
      out.validation_description = "the test split '" + config.test_split() + "' (official protocol)";
      break;
  }
  out.train = std::make_unique<data::ClipDataset>(std::move(train),
                                                  clip_options(config, data::SplitRole::train, experiment.seed()));
  if (out.train->size() == 0) throw std::invalid_argument("dataset file '" + path + "': the training split gives no clips");
  return out;
}

}  // namespace kasf::training
