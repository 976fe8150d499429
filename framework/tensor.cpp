#include "framework/tensor.h"

#include <stdexcept>

#include "framework/autograd.h"
#include "framework/ops.h"

namespace kasf {

Storage::Storage(Backend& b, size_t n) : backend(b), count(n), data(n ? b.allocate(n) : nullptr) {}
Storage::~Storage() {
  if (data) backend.deallocate(data, count);
}

namespace {

Tensor make_tensor(const Shape& shape, Device device) {
  for (int64_t d : shape)
    if (d < 0) throw_shape_error("empty", "negative dimension in " + to_string(shape));
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = std::make_shared<Storage>(backend_for(device), static_cast<size_t>(numel(shape)));
  impl->shape = shape;
  impl->strides = contiguous_strides(shape);
  return Tensor(std::move(impl));
}

const TensorImpl& checked(const TensorImpl* impl) {
  if (!impl) throw std::logic_error("use of an undefined tensor");
  return *impl;
}

}  // namespace

Tensor Tensor::empty(const Shape& shape, Device device) { return make_tensor(shape, device); }

Tensor Tensor::full(const Shape& shape, float value, Device device) {
  Tensor t = make_tensor(shape, device);
  t.backend().fill(t.data(), t.numel(), value);
  return t;
}

Tensor Tensor::zeros(const Shape& shape, Device device) { return full(shape, 0.0f, device); }

Tensor Tensor::from_vector(const Shape& shape, const std::vector<float>& values, Device device) {
  if (static_cast<int64_t>(values.size()) != kasf::numel(shape))
    throw_shape_error("from_vector", std::to_string(values.size()) + " values for shape " + to_string(shape));
  Tensor t = make_tensor(shape, device);
  t.backend().upload(t.data(), values.data(), values.size());
  return t;
}

const Shape& Tensor::shape() const { return checked(impl_.get()).shape; }
const Shape& Tensor::strides() const { return checked(impl_.get()).strides; }
int64_t Tensor::numel() const { return kasf::numel(shape()); }
int64_t Tensor::size(int64_t axis) const { return shape()[normalize_axis(axis, rank(), "size")]; }
Device Tensor::device() const { return backend().device(); }
Backend& Tensor::backend() const { return checked(impl_.get()).storage->backend; }
float* Tensor::data() const {
  const TensorImpl& t = checked(impl_.get());
  return t.storage->data + t.offset;
}

bool Tensor::is_contiguous() const {
  const TensorImpl& t = checked(impl_.get());
  int64_t expected = 1;
  for (size_t i = t.shape.size(); i-- > 0;) {
    if (t.shape[i] != 1 && t.strides[i] != expected) return false;
    expected *= t.shape[i];
  }
  return true;
}

Tensor Tensor::contiguous() const {
  if (is_contiguous()) return *this;
  Tensor out = Tensor::empty(shape(), device());
  backend().copy(data(), layout(), out.data(), out.layout());
  return record(out, "contiguous", {*this}, [](const Tensor& g, Grads& grads) { grads.set(0, g); });
}

std::vector<float> Tensor::to_vector() const {
  Tensor c = detach().contiguous();
  std::vector<float> host(static_cast<size_t>(c.numel()));
  backend().download(host.data(), c.data(), host.size());
  return host;
}

float Tensor::item() const {
  if (numel() != 1) throw_shape_error("item", "tensor of shape " + to_string(shape()) + " has not one element");
  return to_vector()[0];
}

Tensor Tensor::to(Device target) const {
  if (target == device()) return *this;
  std::vector<float> host = to_vector();
  Tensor out = Tensor::from_vector(shape(), host, target);
  return record(out, "to", {*this}, [source = device()](const Tensor& g, Grads& grads) {
    grads.set(0, g.to(source));
  });
}

void Tensor::move_to(Device target) const {
  if (grad_fn()) throw std::logic_error("move_to: only leaf tensors can be moved in place");
  if (target == device()) return;
  Tensor moved = detach().to(target);
  impl_->storage = moved.impl_->storage;
  impl_->strides = moved.impl_->strides;
  impl_->offset = 0;
  impl_->grad_window = Tensor();
  if (impl_->grad.defined()) impl_->grad = impl_->grad.detach().to(target);
}

Tensor Tensor::detach() const {
  const TensorImpl& t = checked(impl_.get());
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = t.storage;
  impl->shape = t.shape;
  impl->strides = t.strides;
  impl->offset = t.offset;
  return Tensor(std::move(impl));
}

Tensor Tensor::clone() const {
  Tensor out = Tensor::empty(shape(), device());
  backend().copy(data(), layout(), out.data(), out.layout());
  return out;
}

void Tensor::copy_from(const Tensor& src) const {
  if (src.shape() != shape())
    throw_shape_error("copy_from", "source " + to_string(src.shape()) + " into " + to_string(shape()));
  if (src.device() != device()) {
    copy_from(src.to(device()));
    return;
  }
  backend().copy(src.data(), src.layout(), data(), layout());
}

bool Tensor::requires_grad() const { return checked(impl_.get()).requires_grad; }

const Tensor& Tensor::set_requires_grad(bool flag) const {
  if (impl_->grad_fn) throw std::logic_error("set_requires_grad: only leaf tensors can be marked");
  impl_->requires_grad = flag;
  return *this;
}

Tensor Tensor::grad() const { return checked(impl_.get()).grad; }
void Tensor::set_grad(const Tensor& grad) const { checked(impl_.get()), impl_->grad = grad; }
void Tensor::zero_grad() const { checked(impl_.get()), impl_->grad = Tensor(); }
const std::shared_ptr<Node>& Tensor::grad_fn() const { return checked(impl_.get()).grad_fn; }

void Tensor::backward(const Tensor& grad) const { run_backward(*this, grad); }

Tensor make_view(const Tensor& base, const Shape& shape, const Shape& strides, int64_t offset) {
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = base.impl()->storage;
  impl->shape = shape;
  impl->strides = strides;
  impl->offset = offset;
  return Tensor(std::move(impl));
}

std::string describe(const Tensor& t) {
  return t.defined() ? to_string(t.shape()) + " " + device_name(t.device()) : "undefined";
}

const char* device_name(Device d) {
  switch (d) {
    case Device::CPU: return "cpu";
    case Device::CUDA: return "cuda";
    case Device::EmulatedCuda: return "emulated_cuda";
  }
  return "unknown";
}

int64_t Layout::numel() const {
  int64_t n = 1;
  for (int i = 0; i < rank; ++i) n *= shape[i];
  return n;
}

Layout Layout::of(const Shape& shape, const Shape& strides) {
  if (shape.size() > static_cast<size_t>(kMaxRank))
    throw_shape_error("layout", "rank " + std::to_string(shape.size()) + " exceeds the maximum of 8");
  Layout l;
  l.rank = static_cast<int>(shape.size());
  for (int i = 0; i < l.rank; ++i) {
    l.shape[i] = shape[i];
    l.strides[i] = strides[i];
  }
  return l;
}

Layout Layout::contiguous(const Shape& shape) { return of(shape, contiguous_strides(shape)); }

}  // namespace kasf
