// The processes of a data-parallel run and the collectives kasf_train needs from them. Two
// implementations: MpiCommunicator (host tensors, the CPU backend) and NcclCommunicator (CUDA
// tensors; host-side collectives through MPI); a single process uses SingleProcess, whose
// collectives return their input.
//
// Every rank must start the same collectives in the same order. Waits are bounded: a collective
// that does not complete within the timeout, or a stop signal that arrives while waiting, throws
// PeerFailure, so a rank that died or hangs never leaves the others waiting forever.
#pragma once
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "framework/data_parallel.h"
#include "framework/tensor.h"

namespace kasf::distributed {

class PeerFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Communicator : public CrossProcessSum {
 public:
  virtual int rank() const = 0;
  virtual int size() const = 0;

  // Starts summing `values` (contiguous, on the device this communicator serves) in place over the
  // ranks; `what` names it in errors. Returns a ticket for wait().
  virtual int64_t start_sum(const Tensor& values, const char* what) = 0;
  // Advances started sums without blocking (MPI progresses them only inside its calls).
  virtual void poll() = 0;
  // Blocks until the sum of `ticket` and every sum started before it are done.
  virtual void wait(int64_t ticket) = 0;

  // Every rank's `local` values (sizes may differ), in rank order; blocks.
  virtual std::vector<std::vector<float>> all_gather(std::span<const float> local, const char* what) = 0;

  void sum(const Tensor& values) override { wait(start_sum(values, "a BatchNorm reduction")); }
};

class SingleProcess final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  int64_t start_sum(const Tensor&, const char*) override { return 0; }
  void poll() override {}
  void wait(int64_t) override {}
  std::vector<std::vector<float>> all_gather(std::span<const float> local, const char*) override {
    return {{local.begin(), local.end()}};
  }
};

}  // namespace kasf::distributed
