#include "training/progress_bar.h"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace kasf::training {

ProgressBar::ProgressBar(int64_t epoch, int64_t epochs, int64_t batches, int64_t done, int64_t samples_done,
                         bool enabled, double interval_seconds, double plain_interval_seconds)
    : epoch_(epoch), epochs_(epochs), batches_(batches), first_done_(done), first_samples_(samples_done),
      enabled_(enabled), status_(interval_seconds, plain_interval_seconds), done_(done) {}

std::string ProgressBar::line(int64_t done, const LossSums& losses, double lr) const {
  const double elapsed = status_.elapsed_seconds();
  const int64_t new_batches = done - first_done_;
  const double rate = elapsed > 0 ? (losses.samples - first_samples_) / elapsed : 0;
  const double eta = new_batches > 0 ? elapsed / new_batches * (batches_ - done) : NAN;
  const double n = losses.samples > 0 ? static_cast<double>(losses.samples) : 1.0;
  std::ostringstream out;
  out << "epoch " << epoch_ + 1 << "/" << epochs_ << " " << reporting::bar(done, batches_, 20) << " " << done << "/"
      << batches_ << " | " << std::fixed << std::setprecision(1) << rate << " samples/s | loss " << std::setprecision(4)
      << losses.total / n << " (mpjpe " << losses.mpjpe / n << ", n-mpjpe " << losses.n_mpjpe / n << ", velocity "
      << losses.velocity / n << ") | lr " << std::scientific << std::setprecision(2) << lr << " | ETA "
      << reporting::duration(eta);
  return out.str();
}

void ProgressBar::update(int64_t done, const std::function<LossSums()>& losses, double lr) {
  done_ = done;
  if (enabled_ && status_.due()) status_.show(line(done, losses(), lr));
}

void ProgressBar::finish(const LossSums& losses, double lr) {
  if (!enabled_) return;
  status_.show(line(done_, losses, lr));
  status_.end();
}

}  // namespace kasf::training
