// Sums the parameters' gradients over the ranks of a data-parallel run, in buckets that start
// while backward is still running (as PyTorch's DistributedDataParallel does): parameters are
// packed into buckets of about `bucket_bytes` in reverse registration order (roughly the order
// backward finishes them); the backward hook copies a parameter's final gradient into its
// bucket, and a bucket whose gradients are all in starts its sum at once. finish() starts what is
// left, waits, and writes the sums back into the gradients.
//
// The ranks' losses are scaled by their share of the global batch, so the sum is the gradient of
// the global batch's mean loss. The same code serves MPI and NCCL through Communicator.
#pragma once
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "distributed/communicator.h"

namespace kasf::distributed {

struct ReducerOptions {
  int64_t bucket_bytes = 1 << 20;
  bool overlap = true;  // false: every bucket starts after backward (for measuring the overlap)
};

class GradientReducer {
 public:
  // `parameters` (at least one) are leaves on one device; they must outlive the reducer.
  GradientReducer(Communicator& communicator, std::vector<Tensor> parameters, const ReducerOptions& options);

  // The autograd hook (kasf::LeafGradReady): `leaf`'s gradient is final for this step.
  void gradient_ready(const TensorImpl* leaf);
  // After backward: sums every bucket and writes the results into the gradients. A parameter no
  // backward reached keeps no gradient (as in one process: the graph is the same on every rank).
  void finish();
  // Seconds spent in finish() since the last call: the all-reduce time backward did not hide.
  double take_wait_seconds() { return std::exchange(wait_seconds_, 0.0); }

 private:
  struct Slot {
    Tensor parameter;
    int64_t bucket, offset;
    bool ready = false;
  };
  struct Bucket {
    Tensor buffer;
    std::vector<size_t> slots;
    size_t ready = 0;
    bool started = false;
    int64_t ticket = 0;
  };
  void start(Bucket& bucket);

  Communicator& communicator_;
  ReducerOptions options_;
  std::vector<Slot> slots_;
  std::vector<Bucket> buckets_;
  std::unordered_map<const TensorImpl*, size_t> slot_of_;
  double wait_seconds_ = 0;
};

}  // namespace kasf::distributed
