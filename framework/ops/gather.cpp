// Gathering along an axis (index_select) and the top-K threshold adjacency.
#include <string>

#include "framework/autograd.h"
#include "framework/ops.h"
#include "framework/ops/op_support.h"

namespace kasf {

namespace {

// x viewed as (outer, x.shape[axis], inner).
struct AxisSplit {
  int64_t outer = 1, size = 1, inner = 1;
};

AxisSplit split_at(const Shape& shape, int64_t axis) {
  AxisSplit s;
  for (int64_t i = 0; i < axis; ++i) s.outer *= shape[i];
  s.size = shape[axis];
  for (size_t i = axis + 1; i < shape.size(); ++i) s.inner *= shape[i];
  return s;
}

}  // namespace

Tensor index_select(const Tensor& x, int64_t axis, const std::vector<int64_t>& index) {
  const int64_t a = normalize_axis(axis, x.rank(), "index_select");
  const AxisSplit split = split_at(x.shape(), a);
  for (int64_t i : index)
    if (i < 0 || i >= split.size)
      throw_shape_error("index_select", "index " + std::to_string(i) + " is out of range for axis " +
                                            std::to_string(axis) + " of " + to_string(x.shape()));
  const int64_t count = static_cast<int64_t>(index.size());
  Shape out_shape = x.shape();
  out_shape[a] = count;
  Tensor xd = detail::dense(x);
  Tensor y = Tensor::empty(out_shape, x.device());
  x.backend().index_select(xd.data(), y.data(), split.outer, split.size, split.inner, index.data(), count);
  return record(y, "index_select", {x}, [index, split, x_shape = x.shape()](const Tensor& g, Grads& grads) {
    Tensor gd = detail::dense(g);
    Tensor gx = Tensor::zeros(x_shape, g.device());
    g.backend().index_add(gd.data(), gx.data(), split.outer, split.size, split.inner, index.data(),
                          static_cast<int64_t>(index.size()));
    grads.set(0, gx);
  });
}

Tensor topk_adjacency(const Tensor& s, int64_t k) {
  if (s.rank() < 2 || s.size(-1) != s.size(-2))
    throw_shape_error("topk_adjacency", "needs square matrices (..., n, n), got " + to_string(s.shape()));
  const int64_t n = s.size(-1);
  if (k < 1 || k > n)
    throw_shape_error("topk_adjacency", "k = " + std::to_string(k) + " is out of range for rows of " +
                                            std::to_string(n) + " in " + to_string(s.shape()));
  Tensor sd = detail::dense(s);
  Tensor a = Tensor::empty(s.shape(), s.device());
  s.backend().topk_adjacency(sd.data(), a.data(), s.numel() / (n * n), n, k);
  return a;  // a step function of s: no gradient
}

}  // namespace kasf
