// kasf_eval --html: the tables (models, MPJPE per action, per joint), each model's per-joint errors
// for a skeleton coloured by error, and the first model's worst clips (highest MPJPE) in 3D beside
// their ground truth (reporting/html/evaluation_report.js).
#pragma once
#include <span>
#include <string>

#include "evaluation/benchmark/clip_predictions.h"
#include "evaluation/tables.h"

namespace kasf::eval {

// One evaluated model: its table row and what it predicted for which clips.
struct EvaluatedModel {
  const ModelResult* result;
  const ClipPredictions* predictions;
  const TestClips* clips;
};

struct EvaluationReportOptions {
  std::string data_path;
  int worst_clips = 3;
  double fps = 0;  // playback rate of the clips; 0 when unknown
};

// Throws std::invalid_argument when `models` is empty.
void write_evaluation_report(const std::string& path, std::span<const EvaluatedModel> models,
                             const EvaluationReportOptions& options);

}  // namespace kasf::eval
