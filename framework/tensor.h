// Tensor: a float32 strided view of shared device storage, plus the autograd record.
//
// Copies of a Tensor are handles to the same tensor (like torch.Tensor). Views (reshape of a
// contiguous tensor, permute, slice) share storage; kernels get contiguous buffers through
// contiguous(), which copies only when needed.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "framework/backend.h"
#include "framework/shape.h"

namespace kasf {

// A device allocation; returned to its backend when the last view goes away.
struct Storage {
  Storage(Backend& backend, size_t count);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  Backend& backend;
  size_t count;
  float* data;
};

struct Node;
struct TensorImpl;

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  // Factories. Contents of `empty` are undefined.
  static Tensor empty(const Shape& shape, Device device = Device::CPU);
  static Tensor zeros(const Shape& shape, Device device = Device::CPU);
  static Tensor full(const Shape& shape, float value, Device device = Device::CPU);
  static Tensor from_vector(const Shape& shape, const std::vector<float>& values, Device device = Device::CPU);
  static Tensor scalar(float value, Device device = Device::CPU) { return full({}, value, device); }

  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const;
  const Shape& strides() const;
  int64_t rank() const { return static_cast<int64_t>(shape().size()); }
  int64_t size(int64_t axis) const;  // negative axes count from the end
  int64_t numel() const;
  Device device() const;
  Backend& backend() const;
  bool is_contiguous() const;
  Layout layout() const { return Layout::of(shape(), strides()); }

  // Pointer to the first element, on the tensor's device.
  float* data() const;
  // A contiguous tensor with the same values: *this when already contiguous, else a copy
  // (which carries the gradient back like any op).
  Tensor contiguous() const;
  // Host copy of the values in row-major order.
  std::vector<float> to_vector() const;
  float item() const;  // the single value of a one-element tensor
  Tensor to(Device device) const;
  // Moves a leaf's values to `device` in place: every handle to this tensor (a layer's member, an
  // optimizer's list) sees the new storage, and so does the gradient. Views of the old storage keep
  // the old one, and the leaf leaves any ParameterArena. For Module::to; ops use to(), which
  // records the transfer for autograd.
  void move_to(Device device) const;
  // Same storage and values, cut from the graph.
  Tensor detach() const;
  // A new tensor that owns a copy of the values, cut from the graph.
  Tensor clone() const;
  // Overwrites the values with `src` (same shape), outside of autograd (optimizer, loading).
  void copy_from(const Tensor& src) const;

  // Autograd.
  bool requires_grad() const;
  const Tensor& set_requires_grad(bool flag) const;  // leaves only
  Tensor grad() const;                                   // undefined until a backward reached it
  void set_grad(const Tensor& grad) const;
  void zero_grad() const;                                // drops the gradient
  // Reverse-mode gradient of this tensor w.r.t. every leaf that requires grad; `grad` defaults to
  // 1 for a one-element tensor. The graph behind this tensor is freed afterwards.
  void backward(const Tensor& grad = Tensor()) const;
  const std::shared_ptr<Node>& grad_fn() const;

  TensorImpl* impl() const { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }
  bool same(const Tensor& other) const { return impl_ == other.impl_; }

 private:
  std::shared_ptr<TensorImpl> impl_;
};

struct TensorImpl {
  std::shared_ptr<Storage> storage;
  Shape shape;
  Shape strides;
  int64_t offset = 0;
  bool requires_grad = false;
  std::shared_ptr<Node> grad_fn;  // set on results of differentiable ops; null on leaves
  Tensor grad;                    // accumulated gradient of a leaf
  // Where backward accumulates this leaf's gradient in place (a ParameterArena's window), if set.
  Tensor grad_window;
};

// A view of `base`'s storage with another geometry (no copy; the caller checks bounds).
Tensor make_view(const Tensor& base, const Shape& shape, const Shape& strides, int64_t offset);

std::string describe(const Tensor& t);  // "(2, 3) cpu"

}  // namespace kasf
