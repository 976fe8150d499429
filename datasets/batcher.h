// Batches of clips for training and evaluation: seeded shuffling and flipping, background prefetch,
// and a position that can be saved and restored so that a resumed run sees the same batches.
//
// Every random choice of an epoch (its clip order and which clips are flipped) is drawn from a
// Generator when the epoch starts, so the batches depend only on the seed and the epoch, never on
// timing; prefetching on a worker thread changes when a batch is built, not what it holds. The
// worker builds host arrays only: the Tensors are made by next() on the caller's thread, so the
// framework's allocator is never used concurrently.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "datasets/clip_dataset.h"
#include "framework/data_parallel.h"
#include "framework/tensor.h"

namespace kasf::data {

struct BatcherOptions {
  int64_t batch_size = 32;
  bool shuffle = true;
  bool drop_last = false;
  bool random_flip = false;      // train split only: flip each clip (input and label) with probability 0.5
  uint64_t seed = 0;
  int64_t prefetch_batches = 4;  // built ahead on a worker thread; 0 builds them in next()
  // Data parallelism: every batch holds only shard `shard_index` of `shard_count` of the global
  // batch (shard_of), which is the same as with one shard; positions count global batches.
  int shard_index = 0;
  int shard_count = 1;
};

// Where a run stands. `seed`/`offset` are the Generator's state at the start of `epoch`; `index`
// counts the clips of that epoch's order already handed out.
struct BatcherPosition {
  int64_t epoch = 0;
  int64_t index = 0;
  uint64_t seed = 0;
  uint64_t offset = 0;
  bool operator==(const BatcherPosition&) const = default;
};

struct Batch {
  std::vector<int64_t> clips;  // the dataset's clip indices, in batch order
  std::vector<bool> flipped;
  BatchShard shard;            // which clips of the global batch these are
  Tensor input;                // (B, T, 17, 3)
  Tensor label;                // (B, T, 17, 3)
  // Test split only (undefined / empty for training batches).
  Tensor label_scaled;         // (B, T, 17, 3)
  Tensor factor;               // (B, T)
  std::vector<ImageSize> image_sizes;
  std::vector<std::string> actions;
  std::vector<std::string> environments;
};

class Batcher {
 public:
  // Starts at epoch 0, or resumes at `start` (a position() saved earlier with the same dataset and
  // options). The dataset must outlive the batcher.
  Batcher(const ClipDataset& dataset, const BatcherOptions& options);
  Batcher(const ClipDataset& dataset, const BatcherOptions& options, const BatcherPosition& start);
  ~Batcher();  // stops the worker, also mid-epoch
  Batcher(const Batcher&) = delete;
  Batcher& operator=(const Batcher&) = delete;

  // The next batch, or nullopt once at the end of each epoch; the call after that starts the next
  // epoch. Rethrows an error met while building a batch.
  std::optional<Batch> next();
  // Resuming from this position gives exactly the results next() would give from here on.
  BatcherPosition position() const { return returned_; }
  int64_t batches_per_epoch() const;

 private:
  struct HostBatch {
    std::vector<int64_t> clips;
    std::vector<bool> flipped;
    BatchShard shard;
    std::vector<float> input, label, label_scaled, factor;
    std::vector<ImageSize> image_sizes;
    std::vector<std::string> actions, environments;
  };
  // One result of next(): a batch or the end of an epoch (or an error), and the position after it.
  struct Item {
    std::optional<HostBatch> batch;
    BatcherPosition after;
    std::exception_ptr error;
  };
  struct EpochPlan {
    int64_t epoch = -1;
    std::vector<int64_t> order;
    std::vector<bool> flip;
    BatcherPosition next_epoch;
  };

  Item produce();
  void plan_epoch();
  HostBatch build(int64_t begin, int64_t end) const;
  Batch to_tensors(HostBatch&& host) const;
  void run_worker();

  const ClipDataset& dataset_;
  const BatcherOptions options_;
  BatcherPosition returned_;  // after the last result next() gave

  // Producer side: touched only by the worker thread (or by next() when not prefetching).
  BatcherPosition cursor_;
  EpochPlan plan_;

  std::mutex mutex_;
  std::condition_variable has_item_, has_room_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace kasf::data
