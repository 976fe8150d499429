// Reductions: sum over axes (and its mean, sum_to and all-element forms) and the L2 norm.
#include <algorithm>
#include <cmath>

#include "framework/autograd.h"
#include "framework/ops.h"
#include "framework/ops/op_support.h"

namespace kasf {

namespace {

// The same contiguous values under another shape of equal element count.
Tensor view_with_shape(const Tensor& contiguous, const Shape& shape) {
  return make_view(contiguous, shape, contiguous_strides(shape), contiguous.impl()->offset);
}

// `g` (any shape with the reduced result's element count) spread back over `x_shape`: the
// reduced axes of `x_shape` are read with stride 0, so no reshape or repeat is materialised first.
Tensor expand_reduced(const Tensor& g, const Shape& x_shape, const std::vector<bool>& reduced) {
  Tensor gc = detail::dense(g);
  Shape kept = x_shape;
  for (size_t i = 0; i < kept.size(); ++i)
    if (reduced[i]) kept[i] = 1;
  Shape strides = contiguous_strides(kept);
  for (size_t i = 0; i < strides.size(); ++i)
    if (reduced[i]) strides[i] = 0;
  Tensor out = Tensor::empty(x_shape, g.device());
  g.backend().copy(gc.data(), Layout::of(x_shape, strides), out.data(), out.layout());
  return out;
}

// Sums the axes marked in `reduced` and gives the result the shape `out_shape` (same element count
// as x's shape with the reduced axes set to 1). Runs of adjacent reduced axes are one kernel call.
Tensor reduce_sum(const Tensor& x, const std::vector<bool>& reduced, const Shape& out_shape, const char* op) {
  Tensor current = detail::dense(x);
  Shape shape = x.shape();
  const int64_t rank = x.rank();
  for (int64_t end = rank; end > 0;) {
    if (!reduced[end - 1]) {
      --end;
      continue;
    }
    int64_t begin = end - 1;
    while (begin > 0 && reduced[begin - 1]) --begin;
    int64_t outer = 1, reduce = 1, inner = 1;
    for (int64_t i = 0; i < begin; ++i) outer *= shape[i];
    for (int64_t i = begin; i < end; ++i) reduce *= shape[i], shape[i] = 1;
    for (int64_t i = end; i < rank; ++i) inner *= shape[i];
    Tensor next = Tensor::empty(shape, x.device());
    x.backend().sum_axis(current.data(), next.data(), outer, reduce, inner);
    current = next;
    end = begin;
  }
  if (current.data() == x.data()) current = current.clone();  // nothing reduced: do not alias x
  return record(view_with_shape(current, out_shape), op, {x},
                [x_shape = x.shape(), reduced](const Tensor& g, Grads& grads) {
                  grads.set(0, expand_reduced(g, x_shape, reduced));
                });
}

std::vector<bool> axis_mask(const std::vector<int64_t>& axes, int64_t rank, const char* op) {
  std::vector<bool> mask(rank, false);
  for (int64_t axis : axes) {
    int64_t a = normalize_axis(axis, rank, op);
    if (mask[a]) throw_shape_error(op, "axis " + std::to_string(axis) + " is given twice");
    mask[a] = true;
  }
  return mask;
}

Shape reduced_shape(const Shape& shape, const std::vector<bool>& reduced, bool keepdim) {
  Shape out;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (!reduced[i])
      out.push_back(shape[i]);
    else if (keepdim)
      out.push_back(1);
  }
  return out;
}

int64_t reduced_count(const Shape& shape, const std::vector<bool>& reduced) {
  int64_t count = 1;
  for (size_t i = 0; i < shape.size(); ++i)
    if (reduced[i]) count *= shape[i];
  return count;
}

}  // namespace

// An empty axis list reduces nothing (NumPy's convention for axis=()).
Tensor sum(const Tensor& x, const std::vector<int64_t>& axes, bool keepdim) {
  std::vector<bool> reduced = axis_mask(axes, x.rank(), "sum");
  return reduce_sum(x, reduced, reduced_shape(x.shape(), reduced, keepdim), "sum");
}

Tensor sum(const Tensor& x) { return reduce_sum(x, std::vector<bool>(x.rank(), true), {}, "sum"); }

Tensor mean(const Tensor& x, const std::vector<int64_t>& axes, bool keepdim) {
  std::vector<bool> reduced = axis_mask(axes, x.rank(), "mean");
  int64_t count = reduced_count(x.shape(), reduced);
  return mul_scalar(sum(x, axes, keepdim), 1.0f / static_cast<float>(count));
}

Tensor mean(const Tensor& x) { return mul_scalar(sum(x), 1.0f / static_cast<float>(x.numel())); }

Tensor sum_to(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  const int64_t rank = x.rank(), lead = rank - static_cast<int64_t>(shape.size());
  if (lead < 0)
    throw_shape_error("sum_to", "cannot reduce " + to_string(x.shape()) + " to the larger rank of " + to_string(shape));
  std::vector<bool> reduced(rank, false);
  for (int64_t i = 0; i < rank; ++i) {
    if (i < lead) {
      reduced[i] = true;
    } else if (shape[i - lead] != x.shape()[i]) {
      if (shape[i - lead] != 1)
        throw_shape_error("sum_to", "cannot reduce " + to_string(x.shape()) + " to " + to_string(shape));
      reduced[i] = true;
    }
  }
  return reduce_sum(x, reduced, shape, "sum_to");
}

Tensor l2_norm(const Tensor& x, bool keepdim) {
  if (x.rank() == 0) throw_shape_error("l2_norm", "needs at least one axis, got a scalar");
  Tensor norm;  // keepdim shape, so the backward broadcasts it against x
  {
    NoGradGuard no_grad;
    norm = sqrt(sum(mul(x, x), {-1}, true));
  }
  Shape out_shape = keepdim ? norm.shape() : Shape(x.shape().begin(), x.shape().end() - 1);
  return record(view_with_shape(norm, out_shape), "l2_norm", {x},
                [x = x.detach(), norm](const Tensor& g, Grads& grads) {
                  // d|x|/dx = x / |x|, taken as 0 at |x| = 0 (PyTorch's subgradient); the 0/0 there is not selected.
                  Tensor zero = Tensor::zeros({}, norm.device());
                  Tensor scale = div(view_with_shape(detail::dense(g), norm.shape()), norm);
                  grads.set(0, mul(x, where(gt(norm, zero), scale, zero)));
                });
}

}  // namespace kasf
