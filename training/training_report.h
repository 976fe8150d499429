// report.html beside the checkpoints: the run's state, its curves (training_curves.h), the epochs
// with the best one marked, the best checkpoint's validation and test tables once the run is done,
// and the completed experiment definition. Rewritten after every epoch; while the run goes on the
// page reloads itself every 30 seconds.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "evaluation/aggregate.h"
#include "training/metrics_log.h"

namespace kasf::training {

struct FinalEvaluation {
  eval::Summary validation, test;  // of the best checkpoint
  int64_t parameters = 0, clip_length = 0;
};

struct TrainingReport {
  std::string name;        // experiment name
  std::string experiment;  // definition text
  std::string status;      // what the run is doing or how it ended
  bool running = true;
  std::vector<EpochRecord> records;
  std::optional<FinalEvaluation> final;
};

void write_training_report(const std::string& path, const TrainingReport& report);

}  // namespace kasf::training
