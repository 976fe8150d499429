#include "reporting/status_line.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kasf::reporting {

StatusLine::StatusLine(double terminal_interval_seconds, double plain_interval_seconds)
    : terminal_(::isatty(STDERR_FILENO) == 1),
      interval_(terminal_ ? terminal_interval_seconds : plain_interval_seconds),
      start_(Clock::now()),
      last_shown_(start_) {}

bool StatusLine::due() const { return std::chrono::duration<double>(Clock::now() - last_shown_).count() >= interval_; }

void StatusLine::show(const std::string& text) {
  std::fprintf(stderr, terminal_ ? "\r\033[K%s" : "%s\n", text.c_str());
  std::fflush(stderr);
  last_shown_ = Clock::now();
}

void StatusLine::end() {
  if (terminal_) std::fprintf(stderr, "\n");
}

double StatusLine::elapsed_seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

std::string bar(int64_t done, int64_t total, int width) {
  const int filled = total > 0 ? static_cast<int>(width * std::min(done, total) / total) : width;
  return "[" + std::string(filled, '#') + std::string(width - filled, '.') + "]";
}

std::string duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long long s = std::llround(seconds);
  char text[32];
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%lld:%02lld", s / 60, s % 60);
  return text;
}

}  // namespace kasf::reporting
