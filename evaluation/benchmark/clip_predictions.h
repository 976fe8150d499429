// Running a model over every clip of a TestClips: its 3D predictions in the model's normalised units
// (before the root is zeroed).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "evaluation/benchmark/clip_predictions_data.h"
#include "evaluation/benchmark/test_clips.h"
#include "models/pose_lifter.h"

namespace kasf::eval {

struct PredictionOptions {
  std::string name;  // of the result, and the progress line's label
  int64_t batch_size = 32;
  bool flip = false;  // test-time flip augmentation (spec 7 step 1)
  bool progress = true;
  // Data parallelism: predict only shard `shard_index` of `shard_count` of every batch
  // (data::BatcherOptions); `values` then holds those clips, batch after batch.
  int shard_index = 0;
  int shard_count = 1;
};

// Runs `model` (eval mode, no graph) over the clips in order, in batches, with a progress line on
// stderr that ends with the throughput. Throws std::invalid_argument when the model's clip length
// differs from the clips'.
ClipPredictions predict_test_clips(models::PoseLifter& model, const TestClips& clips,
                                   const PredictionOptions& options);

}  // namespace kasf::eval
