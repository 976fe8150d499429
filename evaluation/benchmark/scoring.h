// Scoring clip predictions against the test clips' ground truth (spec 7 steps 2-5) and turning the
// result into a table row.
#pragma once
#include "evaluation/aggregate.h"
#include "evaluation/benchmark/clip_predictions.h"
#include "evaluation/tables.h"

namespace kasf::eval {

// Clip `clip` of the predictions in millimetres, root-relative (spec 7 steps 2-3).
Poses predicted_mm(const ClipPredictions& predictions, const TestClips& clips, int64_t clip);

// Every clip's errors added under its action. Throws std::invalid_argument when the predictions do
// not hold one clip of the right length per test clip.
MetricAccumulator score_predictions(const ClipPredictions& predictions, const TestClips& clips);

// The table row: name, parameters, clip length and 2D source of the predictions, and the summary.
ModelResult model_result(const ClipPredictions& predictions, const MetricAccumulator& errors, Aggregation aggregation);

}  // namespace kasf::eval
