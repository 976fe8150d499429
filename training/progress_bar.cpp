#include "training/progress_bar.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace kasf::training {
namespace {

constexpr int kBarWidth = 20;

std::string duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const int64_t s = std::llround(seconds);
  char text[32];
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  else
    std::snprintf(text, sizeof text, "%lld:%02lld", static_cast<long long>(s / 60), static_cast<long long>(s % 60));
  return text;
}

}  // namespace

ProgressBar::ProgressBar(int64_t epoch, int64_t epochs, int64_t batches, int64_t done, int64_t samples_done,
                         bool enabled, double interval_seconds, double plain_interval_seconds)
    : epoch_(epoch), epochs_(epochs), batches_(batches), first_done_(done), first_samples_(samples_done),
      enabled_(enabled),
      terminal_(::isatty(STDERR_FILENO) == 1),
      interval_(terminal_ ? interval_seconds : plain_interval_seconds), start_(Clock::now()), last_print_(start_),
      done_(done) {}

std::string ProgressBar::line(int64_t done, const LossSums& losses, double lr) const {
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const int64_t new_batches = done - first_done_;
  const double rate = elapsed > 0 ? (losses.samples - first_samples_) / elapsed : 0;
  const double eta = new_batches > 0 ? elapsed / new_batches * (batches_ - done) : NAN;
  const double n = losses.samples > 0 ? static_cast<double>(losses.samples) : 1.0;
  const int filled = batches_ > 0 ? static_cast<int>(kBarWidth * done / batches_) : kBarWidth;
  std::ostringstream out;
  out.precision(4);
  out << "epoch " << epoch_ + 1 << "/" << epochs_ << " [" << std::string(filled, '#')
      << std::string(kBarWidth - filled, '.') << "] " << done << "/" << batches_ << " | " << std::fixed
      << std::setprecision(1) << rate << " samples/s | loss " << std::setprecision(4) << losses.total / n << " (mpjpe "
      << losses.mpjpe / n << ", n-mpjpe " << losses.n_mpjpe / n << ", velocity " << losses.velocity / n << ") | lr "
      << std::scientific << std::setprecision(2) << lr << " | ETA " << duration(eta);
  return out.str();
}

void ProgressBar::print(const std::string& text) {
  if (terminal_)
    std::fprintf(stderr, "\r\033[K%s", text.c_str());
  else
    std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
  last_print_ = Clock::now();
}

void ProgressBar::update(int64_t done, const LossSums& losses, double lr) {
  done_ = done;
  if (!enabled_) return;
  if (std::chrono::duration<double>(Clock::now() - last_print_).count() >= interval_) print(line(done, losses, lr));
}

void ProgressBar::finish(const LossSums& losses, double lr) {
  if (!enabled_) return;
  print(line(done_, losses, lr));
  if (terminal_) std::fprintf(stderr, "\n");
}

}  // namespace kasf::training
