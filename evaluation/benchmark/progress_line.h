// Progress of an evaluation on stderr: clips done, clips/s and the time left. On a terminal one
// line is redrawn in place; otherwise (logs, pipes) a plain line is printed every few seconds.
// finish() prints the throughput.
#pragma once
#include <cstdint>
#include <string>

#include "reporting/status_line.h"

namespace kasf::eval {

class ProgressLine {
 public:
  ProgressLine(std::string label, int64_t total);
  void update(int64_t done);
  // "<label>: N clips in S s (R clips/s)" on its own line.
  void finish();

 private:
  std::string label_;
  int64_t total_;
  int64_t done_ = 0;
  reporting::StatusLine status_;
};

}  // namespace kasf::eval
