// One line of progress on stderr, shared by the tools' progress displays: on a terminal it is
// redrawn in place at most every `terminal_interval` seconds; otherwise (logs, pipes) a plain line
// is printed at most every `plain_interval` seconds.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace kasf::reporting {

class StatusLine {
 public:
  StatusLine(double terminal_interval_seconds, double plain_interval_seconds);
  bool terminal() const { return terminal_; }
  // Whether the interval since the last line has passed.
  bool due() const;
  void show(const std::string& text);
  // Ends a redrawn line so that what follows starts on its own line.
  void end();
  double elapsed_seconds() const;

 private:
  using Clock = std::chrono::steady_clock;
  bool terminal_;
  double interval_;
  Clock::time_point start_, last_shown_;
};

// "[#####.....]" for `done` of `total`, `width` characters between the brackets.
std::string bar(int64_t done, int64_t total, int width);
// "m:ss", or "h:mm:ss" from an hour on; "?" when not finite or negative.
std::string duration(double seconds);

}  // namespace kasf::reporting
