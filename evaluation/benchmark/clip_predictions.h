// 3D predictions for every clip of a TestClips, in the model's normalised units (before the root is
// zeroed): what a model produces and what a predictions file stores.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "evaluation/benchmark/test_clips.h"
#include "models/pose_lifter.h"

namespace kasf::eval {

struct ClipPredictions {
  std::string name;        // model or method, for the table row
  int64_t parameters = 0;  // 0 when unknown
  std::string source_2d;   // "det", "gt", ...
  bool flip_augmented = false;
  int64_t clip_length = 0;
  int64_t clips = 0;
  std::vector<float> values;  // clips x clip_length x 17 x 3

  Poses clip(int64_t index) const;
};

struct PredictionOptions {
  std::string name;  // of the result, and the progress line's label
  int64_t batch_size = 32;
  bool flip = false;  // test-time flip augmentation (spec 7 step 1)
  bool progress = true;
};

// Runs `model` (eval mode, no graph) over the clips in order, in batches, with a progress line on
// stderr that ends with the throughput. Throws std::invalid_argument when the model's clip length
// differs from the clips'.
ClipPredictions predict_test_clips(models::PoseLifter& model, const TestClips& clips,
                                   const PredictionOptions& options);

}  // namespace kasf::eval
