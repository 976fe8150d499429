#include "training/evaluate.h"

#include "evaluation/benchmark/clip_predictions.h"
#include "evaluation/benchmark/scoring.h"

namespace kasf::training {

eval::Summary evaluate(models::PoseLifter& model, const eval::TestClips& clips, int64_t batch_size,
                       bool flip_average) {
  eval::PredictionOptions options;
  options.batch_size = batch_size;
  options.flip = flip_average;
  options.progress = false;
  return eval::score_predictions(eval::predict_test_clips(model, clips, options), clips)
      .summary(eval::Aggregation::official);
}

}  // namespace kasf::training
