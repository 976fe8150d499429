// The clip data sets of an experiment: training clips, validation clips (which drive the schedule,
// early stopping and the best checkpoint) and test clips, from one dataset file.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "datasets/clip_dataset.h"
#include "evaluation/benchmark/test_clips.h"
#include "training/experiment.pb.h"

namespace kasf::training {

struct TrainingData {
  std::unique_ptr<data::ClipDataset> train;
  std::unique_ptr<eval::TestClips> test;
  // Null when the test split validates (ValidationConfig::TEST_SPLIT); use validation().
  std::unique_ptr<eval::TestClips> held_out;
  std::string validation_description;  // for the log, e.g. "3 of 25 source groups of split 'train'"

  const eval::TestClips& validation() const { return held_out ? *held_out : *test; }
};

// Reads the dataset file and cuts the clips. Throws naming the file and split on missing splits or
// fields.
TrainingData load_training_data(const Experiment& experiment);

}  // namespace kasf::training
