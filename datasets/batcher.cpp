#include "datasets/batcher.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "datasets/flip.h"

namespace kasf::data {
namespace {

void check_options(const ClipDataset& dataset, const BatcherOptions& options, const BatcherPosition& start) {
  if (options.batch_size < 1)
    throw std::invalid_argument("batch size must be positive, got " + std::to_string(options.batch_size));
  if (options.prefetch_batches < 0)
    throw std::invalid_argument("prefetch_batches must not be negative, got " + std::to_string(options.prefetch_batches));
  if (options.shard_count < 1 || options.shard_index < 0 || options.shard_index >= options.shard_count)
    throw std::invalid_argument("shard " + std::to_string(options.shard_index) + " of " +
                                std::to_string(options.shard_count) + " does not exist");
  if (options.random_flip && dataset.role() != SplitRole::train)
    throw std::invalid_argument("random flip applies to the train split only (the evaluation fields are not flipped)");
  if (start.epoch < 0 || start.index < 0 || start.index > dataset.size())
    throw std::invalid_argument("batcher position epoch " + std::to_string(start.epoch) + ", index " +
                                std::to_string(start.index) + " is outside a data set of " +
                                std::to_string(dataset.size()) + " clips");
}

template <typename T>
void append(std::vector<T>& to, const std::vector<T>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

}  // namespace

Batcher::Batcher(const ClipDataset& dataset, const BatcherOptions& options)
    : Batcher(dataset, options, BatcherPosition{0, 0, options.seed, 0}) {}

Batcher::Batcher(const ClipDataset& dataset, const BatcherOptions& options, const BatcherPosition& start)
    : dataset_(dataset), options_(options), returned_(start), cursor_(start) {
  check_options(dataset, options, start);
  if (options_.prefetch_batches > 0) worker_ = std::thread([this] { run_worker(); });
}

Batcher::~Batcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  has_room_.notify_all();
  if (worker_.joinable()) worker_.join();
}

int64_t Batcher::batches_per_epoch() const {
  const int64_t n = dataset_.size(), b = options_.batch_size;
  return options_.drop_last ? n / b : (n + b - 1) / b;
}

void Batcher::plan_epoch() {
  Generator generator;
  generator.set_state(cursor_.seed, cursor_.offset);
  const int64_t n = dataset_.size();
  plan_.epoch = cursor_.epoch;
  plan_.order.resize(n);
  std::iota(plan_.order.begin(), plan_.order.end(), 0);
  if (options_.shuffle)
    for (int64_t i = n - 1; i > 0; --i)  // Fisher-Yates
      std::swap(plan_.order[i], plan_.order[generator.below(i + 1)]);
  plan_.flip.assign(n, false);
  if (options_.random_flip)
    for (int64_t i = 0; i < n; ++i) plan_.flip[i] = generator.uniform() > 0.5f;  // as `random.random() > 0.5`
  plan_.next_epoch = {cursor_.epoch + 1, 0, generator.seed(), generator.offset()};
}

Batcher::Item Batcher::produce() {
  if (plan_.epoch != cursor_.epoch) plan_epoch();
  const int64_t remaining = dataset_.size() - cursor_.index;
  Item item;
  if (remaining == 0 || (options_.drop_last && remaining < options_.batch_size)) {
    cursor_ = plan_.next_epoch;
  } else {
    const int64_t end = cursor_.index + std::min(remaining, options_.batch_size);
    const BatchShard shard = shard_of(end - cursor_.index, options_.shard_index, options_.shard_count);
    item.batch = build(cursor_.index + shard.first, cursor_.index + shard.first + shard.size);
    item.batch->shard = shard;
    cursor_.index = end;
  }
  item.after = cursor_;
  return item;
}

Batcher::HostBatch Batcher::build(int64_t begin, int64_t end) const {
  HostBatch host;
  for (int64_t i = begin; i < end; ++i) {
    Clip clip = dataset_.get(plan_.order[i]);
    if (plan_.flip[i]) {
      flip_poses(clip.input, kPoseChannels);
      flip_poses(clip.label, kPoseChannels);
    }
    host.clips.push_back(plan_.order[i]);
    host.flipped.push_back(plan_.flip[i]);
    append(host.input, clip.input);
    append(host.label, clip.label);
    if (clip.evaluation) {
      append(host.label_scaled, clip.evaluation->label_scaled);
      append(host.factor, clip.evaluation->factor);
      host.image_sizes.push_back(clip.evaluation->image_size);
      host.actions.push_back(std::move(clip.evaluation->action));
      host.environments.push_back(std::move(clip.evaluation->environment));
    }
  }
  return host;
}

Batch Batcher::to_tensors(HostBatch&& host) const {
  const int64_t b = static_cast<int64_t>(host.clips.size()), t = dataset_.clip_length();
  const Shape poses = {b, t, kNumJoints, kPoseChannels};
  Batch batch;
  batch.clips = std::move(host.clips);
  batch.flipped = std::move(host.flipped);
  batch.shard = host.shard;
  batch.input = Tensor::from_vector(poses, host.input);
  batch.label = Tensor::from_vector(poses, host.label);
  if (dataset_.role() == SplitRole::test) {
    batch.label_scaled = Tensor::from_vector(poses, host.label_scaled);
    batch.factor = Tensor::from_vector({b, t}, host.factor);
    batch.image_sizes = std::move(host.image_sizes);
    batch.actions = std::move(host.actions);
    batch.environments = std::move(host.environments);
  }
  return batch;
}

void Batcher::run_worker() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      has_room_.wait(lock, [&] { return stopping_ || static_cast<int64_t>(queue_.size()) < options_.prefetch_batches; });
      if (stopping_) return;
    }
    Item item;
    try {
      item = produce();
    } catch (...) {
      item.error = std::current_exception();
    }
    const bool failed = item.error != nullptr;
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(item));
    }
    has_item_.notify_one();
    if (failed) return;
  }
}

std::optional<Batch> Batcher::next() {
  Item item;
  if (!worker_.joinable()) {
    item = produce();
  } else {
    {
      std::unique_lock lock(mutex_);
      has_item_.wait(lock, [&] { return !queue_.empty(); });
      // An error stays queued: the worker has stopped, and every later call reports it again.
      if (queue_.front().error) std::rethrow_exception(queue_.front().error);
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    has_room_.notify_one();
  }
  returned_ = item.after;
  if (!item.batch) return std::nullopt;
  return to_tensors(std::move(*item.batch));
}

}  // namespace kasf::data
