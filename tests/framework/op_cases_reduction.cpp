// Op table cases: sum and mean over axes, sum_to, and the L2 norm.
#include <cmath>

#include "tests/framework/op_table.h"

namespace kasf::test {

namespace {

// Sums of `in` (shape `shape`) over the axes marked in `reduced`, in double, by visiting every
// input element once and adding it to its output slot.
std::vector<double> host_sum(const HostValues& in, const Shape& shape, const std::vector<bool>& reduced) {
  Shape out_shape = shape;
  for (size_t d = 0; d < shape.size(); ++d)
    if (reduced[d]) out_shape[d] = 1;
  std::vector<double> out(static_cast<size_t>(numel(out_shape)), 0.0);
  for (size_t i = 0; i < in.size(); ++i) out[broadcast_source(shape, out_shape, i)] += in[i];
  return out;
}

Shape drop_axes(const Shape& shape, const std::vector<bool>& reduced, bool keepdim) {
  Shape out;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (!reduced[d])
      out.push_back(shape[d]);
    else if (keepdim)
      out.push_back(1);
  }
  return out;
}

std::vector<bool> mask_of(const Shape& shape, const std::vector<int64_t>& axes) {
  std::vector<bool> m(shape.size(), false);
  for (int64_t a : axes) m[a < 0 ? a + static_cast<int64_t>(shape.size()) : a] = true;
  return m;
}

// sum or mean (`average`) of `shape` over `axes`.
OpCase reduce_case(std::string name, Shape shape, std::vector<int64_t> axes, bool keepdim, bool average) {
  OpCase c;
  c.name = std::move(name);
  c.input_shapes = {shape};
  c.op = [axes, keepdim, average](const std::vector<Tensor>& x) {
    return average ? mean(x[0], axes, keepdim) : sum(x[0], axes, keepdim);
  };
  c.reference = [shape, axes, keepdim, average](const std::vector<HostValues>& in, Shape& s, HostValues& out) {
    std::vector<bool> reduced = mask_of(shape, axes);
    s = drop_axes(shape, reduced, keepdim);
    std::vector<double> sums = host_sum(in[0], shape, reduced);
    const double count = static_cast<double>(in[0].size()) / static_cast<double>(sums.size());
    out.clear();
    for (double v : sums) out.push_back(static_cast<float>(average ? v / count : v));
  };
  return c;
}

// The whole-tensor sum or mean, shape ().
OpCase reduce_all_case(std::string name, Shape shape, bool average) {
  OpCase c;
  c.name = std::move(name);
  c.input_shapes = {shape};
  c.op = [average](const std::vector<Tensor>& x) { return average ? mean(x[0]) : sum(x[0]); };
  c.reference = [average](const std::vector<HostValues>& in, Shape& s, HostValues& out) {
    s = {};
    double total = 0.0;
    for (float v : in[0]) total += v;
    out = {static_cast<float>(average ? total / static_cast<double>(in[0].size()) : total)};
  };
  return c;
}

OpCase sum_to_case(std::string name, Shape from, Shape to) {
  OpCase c;
  c.name = std::move(name);
  c.input_shapes = {from};
  c.op = [to](const std::vector<Tensor>& x) { return sum_to(x[0], to); };
  c.reference = [from, to](const std::vector<HostValues>& in, Shape& s, HostValues& out) {
    s = to;
    out.assign(static_cast<size_t>(numel(to)), 0.0f);
    std::vector<double> acc(out.size(), 0.0);
    for (size_t i = 0; i < in[0].size(); ++i) acc[broadcast_source(from, to, i)] += in[0][i];
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(acc[i]);
  };
  return c;
}

// `zero_rows` rows (vectors along the last axis) are set to exactly 0, where the gradient is 0.
OpCase l2_norm_case(std::string name, Shape shape, bool keepdim, size_t zero_rows) {
  OpCase c;
  c.name = std::move(name);
  c.input_shapes = {shape};
  c.op = [keepdim](const std::vector<Tensor>& x) { return l2_norm(x[0], keepdim); };
  const size_t cols = static_cast<size_t>(shape.back());
  c.prepare = [zero_rows, cols](std::vector<HostValues>& in) {
    for (size_t i = 0; i < zero_rows * cols; ++i) in[0][i] = 0.0f;
  };
  c.reference = [shape, keepdim, cols](const std::vector<HostValues>& in, Shape& s, HostValues& out) {
    s = shape;
    if (keepdim)
      s.back() = 1;
    else
      s.pop_back();
    out.clear();
    for (size_t r = 0; r < in[0].size() / cols; ++r) {
      double squares = 0.0;
      for (size_t j = 0; j < cols; ++j) squares += static_cast<double>(in[0][r * cols + j]) * in[0][r * cols + j];
      out.push_back(static_cast<float>(std::sqrt(squares)));
    }
  };
  return c;
}

}  // namespace

void add_reduction_cases(std::vector<OpCase>& t) {
  t.push_back(reduce_case("sum_last_axis", {3, 17, 5}, {-1}, false, false));
  t.push_back(reduce_case("sum_middle_axis_keepdim", {4, 27, 3}, {1}, true, false));
  t.push_back(reduce_case("sum_first_axis", {27, 17}, {0}, false, false));
  // A long axis summed in blocks of rows, over two chunks of columns (a bias gradient's shape).
  t.push_back(reduce_case("sum_long_first_axis", {1100, 70}, {0}, false, false));
  t.push_back(reduce_case("sum_adjacent_axes", {3, 4, 5}, {1, 2}, false, false));
  t.push_back(reduce_case("sum_separate_axes", {3, 4, 5, 2}, {0, 2}, true, false));
  t.push_back(reduce_case("sum_size_one_axis", {3, 1, 17}, {1}, false, false));
  t.push_back(reduce_case("sum_no_axes", {4, 3}, {}, false, false));
  t.push_back(reduce_all_case("sum_all", {17, 3, 2}, false));
  t.push_back(reduce_case("mean_first_and_last_axes", {5, 17, 3}, {0, -1}, false, true));
  t.push_back(reduce_case("mean_middle_axis_keepdim", {2, 27, 17}, {1}, true, true));
  t.push_back(reduce_all_case("mean_all", {27, 1, 5}, true));
  t.push_back(sum_to_case("sum_to_column", {4, 3, 5}, {3, 1}));
  t.push_back(sum_to_case("sum_to_leading_axes", {2, 17, 5}, {17, 5}));
  t.push_back(sum_to_case("sum_to_scalar", {3, 4}, {}));
  t.push_back(sum_to_case("sum_to_middle_ones", {2, 3, 4, 5}, {2, 1, 1, 5}));
  t.push_back(l2_norm_case("l2_norm_last_axis", {3, 17, 3}, false, 0));
  t.push_back(l2_norm_case("l2_norm_keepdim", {27, 16}, true, 0));
  // A zero vector: |x| has a kink there; the central difference is 0, as is PyTorch's gradient.
  t.push_back(l2_norm_case("l2_norm_zero_vector", {4, 5}, false, 2));
}

}  // namespace kasf::test
