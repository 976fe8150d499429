#include "evaluation/benchmark/scoring.h"

#include <stdexcept>

#include "evaluation/metrics.h"
#include "evaluation/postprocess.h"

namespace kasf::eval {

Poses predicted_mm(const ClipPredictions& predictions, const TestClips& clips, int64_t clip) {
  const ClipTruth& truth = clips.truth(clip);
  return prediction_to_mm(predictions.clip(clip), truth.image_width, truth.factor);
}

MetricAccumulator score_predictions(const ClipPredictions& predictions, const TestClips& clips) {
  if (predictions.clips != clips.size() || predictions.clip_length != clips.clip_length())
    throw std::invalid_argument(predictions.name + ": " + std::to_string(predictions.clips) + " predicted clips of " +
                                std::to_string(predictions.clip_length) + " frames for " +
                                std::to_string(clips.size()) + " test clips of " +
                                std::to_string(clips.clip_length()));
  MetricAccumulator errors;
  for (int64_t clip = 0; clip < clips.size(); ++clip)
    errors.add_clip(clips.truth(clip).action, evaluate_clip(predicted_mm(predictions, clips, clip), clips.truth(clip).truth_mm));
  return errors;
}

ModelResult model_result(const ClipPredictions& predictions, const MetricAccumulator& errors, Aggregation aggregation) {
  return {predictions.name, predictions.parameters, predictions.clip_length, predictions.source_2d,
          errors.summary(aggregation)};
}

}  // namespace kasf::eval
