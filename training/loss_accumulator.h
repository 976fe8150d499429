// The running loss sums of an epoch, kept on the device the model trains on: a training step adds
// its loss terms there and never waits for the device. The sums are read (one transfer) only when
// shown, logged or checkpointed, and every read also finds the first step whose total loss was not
// finite, so a NaN still stops the run naming its step.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "training/checkpoint.h"

namespace kasf::training {

struct NonFiniteLoss {
  int64_t epoch = 0, step = 0;  // 0-based epoch, 1-based optimizer step
  double total = 0;
};

class LossAccumulator {
 public:
  explicit LossAccumulator(Device device);

  // Continues from a checkpoint's sums (they start the epoch in progress).
  void restore(const LossSums& sums);
  // One optimizer step: `means` holds the batch's mean [mpjpe, n_mpjpe, velocity, total] loss
  // (shape (4), on the device) over `samples` samples.
  void add(const Tensor& means, int64_t samples, int64_t epoch, int64_t step);
  // Reads what the device holds into the host sums.
  void flush();
  // After flush(): the sums, and the first step whose loss was not finite, if any.
  const LossSums& sums() const { return host_; }
  const std::optional<NonFiniteLoss>& non_finite() const { return non_finite_; }
  int64_t samples() const { return host_.samples; }
  void reset();  // a new epoch

 private:
  Device device_;
  Tensor device_sums_;  // (4), added since the last flush
  std::vector<Tensor> totals_;  // each step's total since the last flush, (1) each
  std::vector<std::pair<int64_t, int64_t>> steps_;  // their epoch and step
  LossSums host_;
  std::optional<NonFiniteLoss> non_finite_;
};

}  // namespace kasf::training
