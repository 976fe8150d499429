// Data parallelism as the ops see it. In a training step on N processes each process holds one
// shard of the global batch. The ops whose result depends on more than their own samples ask the
// step in progress: BatchNorm sums its batch statistics (and its backward's reductions) over the
// processes, and dropout draws each sample's mask from the counters a one-process run gives that
// sample. So N processes compute what one process computes on the whole batch, up to the order
// of float sums. Without a step in progress (one process, evaluation) the ops work as always.
#pragma once
#include <cstdint>

#include "framework/tensor.h"

namespace kasf {

// Samples [first, first + size) of a global batch of `global` samples.
struct BatchShard {
  int64_t first = 0;
  int64_t size = 0;
  int64_t global = 0;
};

// Shard `index` of `count` near-equal contiguous shards of a batch of `global` samples.
BatchShard shard_of(int64_t global, int index, int count);

// Sums tensors over the processes of a step.
class CrossProcessSum {
 public:
  virtual ~CrossProcessSum() = default;
  // Replaces `values` (contiguous, on the step's device) by their sum over the processes; blocks.
  virtual void sum(const Tensor& values) = 0;
};

struct DataParallelStep {
  BatchShard shard;
  CrossProcessSum* sum = nullptr;  // outlives the step's backward
};

// The step in progress on this thread, or nullptr.
const DataParallelStep* data_parallel_step();

// Makes `step` the one in progress for its lifetime (forward and backward of a training step).
class DataParallelScope {
 public:
  explicit DataParallelScope(const DataParallelStep& step);
  ~DataParallelScope();
  DataParallelScope(const DataParallelScope&) = delete;
  DataParallelScope& operator=(const DataParallelScope&) = delete;

 private:
  const DataParallelStep* previous_;
};

}  // namespace kasf
