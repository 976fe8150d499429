// Progress of an evaluation on stderr: clips done, clips/s and the time left. On a terminal one
// line is redrawn in place; otherwise (logs, pipes) a plain line is printed every few seconds.
// finish() prints the throughput.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace kasf::eval {

class ProgressLine {
 public:
  ProgressLine(std::string label, int64_t total);
  void update(int64_t done);
  // "<label>: N clips in S s (R clips/s)" on its own line.
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  double elapsed_seconds() const;
  void print(const std::string& text);

  std::string label_;
  int64_t total_;
  int64_t done_ = 0;
  bool terminal_;
  Clock::time_point start_, last_print_;
};

}  // namespace kasf::eval
