// The machine-readable record of a run: one JSON object per finished epoch, one per line
// (metrics.jsonl beside the checkpoints), rewritten atomically after every epoch.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace kasf::training {

struct EpochRecord {
  int64_t epoch = 0;  // 0-based
  int64_t step = 0;   // optimizer steps at the end of the epoch
  double learning_rate = 0;  // during the epoch
  double loss_mpjpe = 0, loss_n_mpjpe = 0, loss_velocity = 0, loss_total = 0;  // batch-size-weighted means
  double validation_mpjpe = 0, validation_p_mpjpe = 0, validation_n_mpjpe = 0;  // mm
  bool best = false;
  double seconds = 0;             // wall time of training and validation (of the last attempt after a resume)
  double samples_per_second = 0;  // training throughput
};

// Missing file: no records. Throws naming the file and line on malformed content.
std::vector<EpochRecord> read_metrics_log(const std::string& path);
void write_metrics_log(const std::string& path, const std::vector<EpochRecord>& records);

}  // namespace kasf::training
