#include "distributed/gradient_reducer.h"

#include <chrono>
#include <stdexcept>

#include "framework/autograd.h"
#include "framework/ops.h"

namespace kasf::distributed {

GradientReducer::GradientReducer(Communicator& communicator, std::vector<Tensor> parameters,
                                 const ReducerOptions& options)
    : communicator_(communicator), options_(options) {
  if (parameters.empty()) throw std::invalid_argument("GradientReducer: no parameters");
  const int64_t bucket_values = std::max<int64_t>(1, options.bucket_bytes / static_cast<int64_t>(sizeof(float)));
  std::vector<int64_t> sizes;
  for (auto it = parameters.rbegin(); it != parameters.rend(); ++it) {
    if (sizes.empty() || (sizes.back() > 0 && sizes.back() + it->numel() > bucket_values)) sizes.push_back(0);
    slot_of_[it->impl()] = slots_.size();
    slots_.push_back({*it, static_cast<int64_t>(sizes.size()) - 1, sizes.back()});
    sizes.back() += it->numel();
  }
  for (size_t b = 0; b < sizes.size(); ++b) {
    Bucket bucket;
    bucket.buffer = Tensor::zeros({sizes[b]}, slots_.front().parameter.device());
    buckets_.push_back(std::move(bucket));
  }
  for (size_t s = 0; s < slots_.size(); ++s) buckets_[slots_[s].bucket].slots.push_back(s);
}

void GradientReducer::gradient_ready(const TensorImpl* leaf) {
  const auto found = slot_of_.find(leaf);
  if (found == slot_of_.end()) return;  // a leaf that is no parameter (an input that requires grad)
  Slot& slot = slots_[found->second];
  slot.ready = true;
  Bucket& bucket = buckets_[slot.bucket];
  if (++bucket.ready == bucket.slots.size() && options_.overlap) start(bucket);
  communicator_.poll();
}

void GradientReducer::start(Bucket& bucket) {
  NoGradGuard no_grad;
  for (size_t s : bucket.slots) {
    const Slot& slot = slots_[s];
    const int64_t n = slot.parameter.numel();
    const Tensor window = slice(bucket.buffer, 0, slot.offset, slot.offset + n);
    const Tensor grad = slot.parameter.grad();
    if (slot.ready && grad.defined())
      window.copy_from(reshape(grad, {n}));
    else
      window.copy_from(Tensor::zeros({n}, bucket.buffer.device()));
  }
  bucket.ticket = communicator_.start_sum(bucket.buffer, "the gradient all-reduce");
  bucket.started = true;
}

void GradientReducer::finish() {
  const auto began = std::chrono::steady_clock::now();
  for (Bucket& bucket : buckets_)
    if (!bucket.started) start(bucket);
  NoGradGuard no_grad;
  for (Bucket& bucket : buckets_) {
    communicator_.wait(bucket.ticket);
    for (size_t s : bucket.slots) {
      Slot& slot = slots_[s];
      const Tensor grad = slot.parameter.grad();
      if (slot.ready && grad.defined())
        grad.copy_from(reshape(slice(bucket.buffer, 0, slot.offset, slot.offset + slot.parameter.numel()),
                               slot.parameter.shape()));
      slot.ready = false;
    }
    bucket.ready = 0;
    bucket.started = false;
  }
  wait_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
}

}  // namespace kasf::distributed
