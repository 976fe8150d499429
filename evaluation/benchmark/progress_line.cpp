#include "evaluation/benchmark/progress_line.h"

#include <cstdio>

namespace kasf::eval {

ProgressLine::ProgressLine(std::string label, int64_t total)
    : label_(std::move(label)), total_(total), status_(0.2, 10.0) {}

void ProgressLine::update(int64_t done) {
  done_ = done;
  if (!status_.due() && done < total_) return;
  const double elapsed = status_.elapsed_seconds();
  const double rate = elapsed > 0 ? done / elapsed : 0;
  const double left = rate > 0 ? (total_ - done) / rate : 0;
  char text[256];
  std::snprintf(text, sizeof text, "%s %s %lld/%lld clips | %.1f clips/s | %.0f s left", label_.c_str(),
                reporting::bar(done, total_, 30).c_str(), static_cast<long long>(done),
                static_cast<long long>(total_), rate, left);
  status_.show(text);
}

void ProgressLine::finish() {
  const double elapsed = status_.elapsed_seconds();
  status_.end();
  std::fprintf(stderr, "%s: %lld clips in %.2f s (%.1f clips/s)\n", label_.c_str(), static_cast<long long>(done_),
               elapsed, elapsed > 0 ? done_ / elapsed : 0.0);
  std::fflush(stderr);
}

}  // namespace kasf::eval
