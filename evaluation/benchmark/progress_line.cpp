#include "evaluation/benchmark/progress_line.h"

#include <unistd.h>

#include <cstdio>

namespace kasf::eval {
namespace {

constexpr int kBarWidth = 30;
constexpr double kTerminalInterval = 0.2, kPlainInterval = 10;

}  // namespace

ProgressLine::ProgressLine(std::string label, int64_t total)
    : label_(std::move(label)), total_(total), terminal_(::isatty(STDERR_FILENO) == 1), start_(Clock::now()),
      last_print_(start_) {}

double ProgressLine::elapsed_seconds() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

void ProgressLine::print(const std::string& text) {
  std::fprintf(stderr, terminal_ ? "\r\033[K%s" : "%s\n", text.c_str());
  std::fflush(stderr);
  last_print_ = Clock::now();
}

void ProgressLine::update(int64_t done) {
  done_ = done;
  const double since_print = std::chrono::duration<double>(Clock::now() - last_print_).count();
  if (since_print < (terminal_ ? kTerminalInterval : kPlainInterval) && done < total_) return;
  const double elapsed = elapsed_seconds();
  const double rate = elapsed > 0 ? done / elapsed : 0;
  const double left = rate > 0 ? (total_ - done) / rate : 0;
  const int filled = total_ > 0 ? static_cast<int>(kBarWidth * done / total_) : kBarWidth;
  char text[256];
  std::snprintf(text, sizeof text, "%s [%s%s] %lld/%lld clips | %.1f clips/s | %.0f s left", label_.c_str(),
                std::string(filled, '#').c_str(), std::string(kBarWidth - filled, '.').c_str(),
                static_cast<long long>(done), static_cast<long long>(total_), rate, left);
  print(text);
}

void ProgressLine::finish() {
  const double elapsed = elapsed_seconds();
  if (terminal_) std::fprintf(stderr, "\n");
  char text[256];
  std::snprintf(text, sizeof text, "%s: %lld clips in %.2f s (%.1f clips/s)", label_.c_str(),
                static_cast<long long>(done_), elapsed, elapsed > 0 ? done_ / elapsed : 0.0);
  std::fprintf(stderr, "%s\n", text);
  std::fflush(stderr);
}

}  // namespace kasf::eval
