// Shape ops. Reshape of a contiguous tensor, permute, squeeze/unsqueeze and slice are views
// (no copy); concat copies into one new tensor.
#include <algorithm>
#include <numeric>

#include "framework/ops.h"
#include "framework/ops/op_support.h"

namespace kasf {

namespace {

Shape resolve_shape(const Shape& requested, int64_t count, const Shape& from) {
  Shape shape = requested;
  int64_t known = 1;
  int inferred = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (inferred >= 0) throw_shape_error("reshape", "more than one -1 in " + to_string(requested));
      inferred = static_cast<int>(i);
    } else if (shape[i] < 0) {
      throw_shape_error("reshape", "negative dimension in " + to_string(requested));
    } else {
      known *= shape[i];
    }
  }
  if (inferred >= 0 && known > 0 && count % known == 0) shape[inferred] = count / known;
  if (numel(shape) != count || (inferred >= 0 && known == 0))
    throw_shape_error("reshape", "cannot reshape " + to_string(from) + " into " + to_string(requested));
  return shape;
}

}  // namespace

Tensor reshape(const Tensor& x, const Shape& shape) {
  Shape target = resolve_shape(shape, x.numel(), x.shape());
  Tensor base = x.is_contiguous() ? x : x.detach().contiguous();
  Tensor out = make_view(base, target, contiguous_strides(target), base.impl()->offset);
  return record(out, "reshape", {x}, [from = x.shape()](const Tensor& g, Grads& grads) { grads.set(0, reshape(g, from)); });
}

Tensor permute(const Tensor& x, const std::vector<int64_t>& dims) {
  const int64_t rank = x.rank();
  if (static_cast<int64_t>(dims.size()) != rank)
    throw_shape_error("permute", "permutation of length " + std::to_string(dims.size()) + " for shape " + to_string(x.shape()));
  std::vector<int64_t> axes(rank), inverse(rank);
  std::vector<bool> seen(rank, false);
  Shape shape(rank), strides(rank);
  for (int64_t i = 0; i < rank; ++i) {
    int64_t a = normalize_axis(dims[i], rank, "permute");
    if (seen[a]) throw_shape_error("permute", "axis " + std::to_string(dims[i]) + " repeated");
    seen[a] = true;
    axes[i] = a;
    inverse[a] = i;
    shape[i] = x.shape()[a];
    strides[i] = x.strides()[a];
  }
  Tensor out = make_view(x, shape, strides, x.impl()->offset);
  return record(out, "permute", {x}, [inverse](const Tensor& g, Grads& grads) { grads.set(0, permute(g, inverse)); });
}

Tensor transpose(const Tensor& x, int64_t axis0, int64_t axis1) {
  std::vector<int64_t> dims(x.rank());
  std::iota(dims.begin(), dims.end(), 0);
  std::swap(dims[normalize_axis(axis0, x.rank(), "transpose")], dims[normalize_axis(axis1, x.rank(), "transpose")]);
  return permute(x, dims);
}

Tensor unsqueeze(const Tensor& x, int64_t axis) {
  int64_t a = normalize_axis(axis, x.rank() + 1, "unsqueeze");
  Shape shape = x.shape(), strides = x.strides();
  shape.insert(shape.begin() + a, 1);
  strides.insert(strides.begin() + a, 1);
  Tensor out = make_view(x, shape, strides, x.impl()->offset);
  return record(out, "unsqueeze", {x}, [a](const Tensor& g, Grads& grads) { grads.set(0, squeeze(g, a)); });
}

Tensor squeeze(const Tensor& x, int64_t axis) {
  int64_t a = normalize_axis(axis, x.rank(), "squeeze");
  if (x.shape()[a] != 1)
    throw_shape_error("squeeze", "axis " + std::to_string(axis) + " of " + to_string(x.shape()) + " is not 1");
  Shape shape = x.shape(), strides = x.strides();
  shape.erase(shape.begin() + a);
  strides.erase(strides.begin() + a);
  Tensor out = make_view(x, shape, strides, x.impl()->offset);
  return record(out, "squeeze", {x}, [a](const Tensor& g, Grads& grads) { grads.set(0, unsqueeze(g, a)); });
}

Tensor slice(const Tensor& x, int64_t axis, int64_t start, int64_t end) {
  int64_t a = normalize_axis(axis, x.rank(), "slice");
  const int64_t n = x.shape()[a];
  int64_t s = start < 0 ? start + n : start;
  int64_t e = end < 0 ? end + n : end;
  if (s < 0 || e > n || s > e)
    throw_shape_error("slice", "range [" + std::to_string(start) + ", " + std::to_string(end) + ") of axis " +
                                   std::to_string(axis) + " of " + to_string(x.shape()));
  Shape shape = x.shape();
  shape[a] = e - s;
  Tensor out = make_view(x, shape, x.strides(), x.impl()->offset + s * x.strides()[a]);
  return record(out, "slice", {x}, [a, s, from = x.shape()](const Tensor& g, Grads& grads) {
    Tensor gx = Tensor::zeros(from, g.device());
    Tensor window = make_view(gx, g.shape(), gx.strides(), s * gx.strides()[a]);
    window.copy_from(g);
    grads.set(0, gx);
  });
}

Tensor concat(const std::vector<Tensor>& xs, int64_t axis) {
  if (xs.empty()) throw_shape_error("concat", "no tensors");
  const Shape& first = xs[0].shape();
  int64_t a = normalize_axis(axis, static_cast<int64_t>(first.size()), "concat");
  Shape shape = first;
  shape[a] = 0;
  for (const Tensor& t : xs) {
    detail::check_same_device("concat", {&xs[0], &t});
    bool compatible = t.rank() == static_cast<int64_t>(first.size());
    for (int64_t d = 0; compatible && d < t.rank(); ++d) compatible = d == a || t.shape()[d] == first[d];
    if (!compatible)
      throw_shape_error("concat", "shapes " + to_string(first) + " and " + to_string(t.shape()) +
                                      " differ outside axis " + std::to_string(axis));
    shape[a] += t.shape()[a];
  }
  Tensor out = Tensor::empty(shape, xs[0].device());
  std::vector<int64_t> sizes;
  int64_t at = 0;
  for (const Tensor& t : xs) {
    Tensor window = make_view(out, t.shape(), out.strides(), at * out.strides()[a]);
    window.copy_from(t.detach());
    sizes.push_back(t.shape()[a]);
    at += t.shape()[a];
  }
  return record(out, "concat", xs, [a, sizes](const Tensor& g, Grads& grads) {
    int64_t start = 0;
    for (size_t i = 0; i < sizes.size(); ++i) {
      if (grads.needs(i)) grads.set(i, slice(g, a, start, start + sizes[i]));
      start += sizes[i];
    }
  });
}

}  // namespace kasf
