// The per-epoch progress display on stderr: batches done, samples per second, running loss terms,
// learning rate and ETA. On a terminal one line is redrawn in place; otherwise (logs, pipes) a
// plain line is printed now and then.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "reporting/status_line.h"
#include "training/checkpoint.h"

namespace kasf::training {

class ProgressBar {
 public:
  // `done` batches of the epoch, with `samples_done` samples, are already behind (a resumed epoch);
  // samples/s and the ETA count from here.
  ProgressBar(int64_t epoch, int64_t epochs, int64_t batches, int64_t done, int64_t samples_done, bool enabled,
              double interval_seconds, double plain_interval_seconds);
  // After each batch: `losses` gives the epoch's running loss sums, asked for only when a line is
  // shown (reading them waits for the device); the current lr.
  void update(int64_t done, const std::function<LossSums()>& losses, double lr);
  // Ends the line (terminal) or prints the final state (plain).
  void finish(const LossSums& losses, double lr);

 private:
  std::string line(int64_t done, const LossSums& losses, double lr) const;

  int64_t epoch_, epochs_, batches_, first_done_, first_samples_;
  bool enabled_;
  reporting::StatusLine status_;
  int64_t done_;
};

}  // namespace kasf::training
