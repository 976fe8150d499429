// ParameterArena: a model's parameters in one flat buffer and their gradients in another.
//
// The arena copies the leaves' values into its buffer and re-points each leaf at its window, so
// every handle to a parameter (a layer's member, an optimizer's list) reads the arena from then on.
// Each leaf also gets a window of the gradient buffer (TensorImpl::grad_window): backward writes a
// leaf's first gradient term there and adds later ones in place, so a training step allocates no
// gradient tensors and an optimizer can update every parameter in one pass over flat buffers.
//
// Tensor::move_to takes a leaf out of the arena (new storage, no gradient window); holds() tells.
#pragma once
#include <cstdint>
#include <vector>

#include "framework/tensor.h"

namespace kasf {

class ParameterArena {
 public:
  // `leaves`: at least one distinct, contiguous leaf, all on one device. Throws otherwise, naming
  // the leaf by its position.
  explicit ParameterArena(std::vector<Tensor> leaves);

  int64_t size() const { return values_.numel(); }  // elements over all leaves
  int64_t offset(size_t leaf) const { return offsets_[leaf]; }
  Device device() const { return values_.device(); }
  const Tensor& values() const { return values_; }  // flat, leaves in the order given
  const Tensor& grads() const { return grads_; }    // flat, parallel to values()

  // Whether leaf `i` still lives in the arena.
  bool holds(size_t leaf) const;
  // Whether every leaf's gradient is its window of grads(): the last backward reached every leaf
  // and nothing replaced a gradient since, so grads() holds the whole step's gradient.
  bool all_grads_in_place() const;

 private:
  std::vector<Tensor> leaves_;
  std::vector<int64_t> offsets_;
  Tensor values_, grads_;
};

}  // namespace kasf
