#include "framework/parameter_arena.h"

#include <stdexcept>
#include <unordered_set>

#include "framework/autograd.h"

namespace kasf {
namespace {

void require(bool ok, size_t leaf, const std::string& what) {
  if (!ok) throw std::invalid_argument("ParameterArena: leaf " + std::to_string(leaf) + " " + what);
}

}  // namespace

ParameterArena::ParameterArena(std::vector<Tensor> leaves) : leaves_(std::move(leaves)) {
  if (leaves_.empty()) throw std::invalid_argument("ParameterArena: no leaves");
  std::unordered_set<const TensorImpl*> seen;
  int64_t total = 0;
  for (size_t i = 0; i < leaves_.size(); ++i) {
    const Tensor& leaf = leaves_[i];
    require(leaf.defined(), i, "is an undefined tensor");
    require(!leaf.grad_fn(), i, describe(leaf) + " is the result of an op, not a leaf");
    require(leaf.is_contiguous(), i, describe(leaf) + " is not contiguous");
    require(leaf.device() == leaves_[0].device(), i, describe(leaf) + " is not on the first leaf's device");
    require(seen.insert(leaf.impl()).second, i, "is listed twice");
    offsets_.push_back(total);
    total += leaf.numel();
  }
  const Device device = leaves_[0].device();
  values_ = Tensor::empty({total}, device);
  grads_ = Tensor::empty({total}, device);
  NoGradGuard no_grad;
  for (size_t i = 0; i < leaves_.size(); ++i) {
    TensorImpl& leaf = *leaves_[i].impl();
    const Tensor window = make_view(values_, leaf.shape, leaf.strides, offsets_[i]);
    if (leaves_[i].numel() > 0) window.copy_from(leaves_[i]);
    leaf.storage = window.impl()->storage;
    leaf.offset = offsets_[i];
    leaf.grad_window = make_view(grads_, leaf.shape, leaf.strides, offsets_[i]);
    // A gradient already there moves into the window (one that does not fit stays where it is, for
    // its user to report).
    if (leaf.grad.defined() && leaf.grad.shape() == leaf.shape && leaf.grad.device() == device) {
      leaf.grad_window.copy_from(leaf.grad);
      leaf.grad = leaf.grad_window;
    }
  }
  // The leaves' own blocks went back to the allocator's cache, where a step's activations (other
  // sizes) would not reuse them: give them back, or they stay resident beside the arena.
  values_.backend().free_cached_memory();
}

bool ParameterArena::holds(size_t leaf) const {
  return leaves_[leaf].impl()->storage == values_.impl()->storage;
}

bool ParameterArena::all_grads_in_place() const {
  for (size_t i = 0; i < leaves_.size(); ++i) {
    const TensorImpl& leaf = *leaves_[i].impl();
    if (!holds(i) || !leaf.grad.defined() || !leaf.grad.same(leaf.grad_window)) return false;
  }
  return true;
}

}  // namespace kasf
