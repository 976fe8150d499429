// Op table cases: reshape, permute, transpose, squeeze/unsqueeze, slice, concat.
#include "tests/framework/op_table.h"

namespace kasf::test {

namespace {

// Reference for any op that moves elements: out[i] = in[source(i)] for an output shape.
OpCase gather_case(std::string name, std::vector<Shape> shapes, Shape out_shape,
                   std::function<Tensor(const std::vector<Tensor>&)> op,
                   std::function<std::pair<size_t, size_t>(const Shape& out_index)> source) {
  OpCase c;
  c.name = std::move(name);
  c.input_shapes = std::move(shapes);
  c.op = std::move(op);
  c.reference = [out_shape, source](const std::vector<HostValues>& in, Shape& shape, HostValues& out) {
    shape = out_shape;
    out.resize(static_cast<size_t>(numel(out_shape)));
    Shape strides = contiguous_strides(out_shape);
    for (size_t i = 0; i < out.size(); ++i) {
      Shape index(out_shape.size());
      for (size_t d = 0; d < out_shape.size(); ++d) index[d] = (i / strides[d]) % out_shape[d];
      auto [input, element] = source(index);
      out[i] = in[input][element];
    }
  };
  return c;
}

size_t flat(const Shape& shape, const Shape& index) {
  size_t f = 0;
  for (size_t d = 0; d < shape.size(); ++d) f = f * shape[d] + index[d];
  return f;
}

}  // namespace

void add_shape_cases(std::vector<OpCase>& t) {
  t.push_back(gather_case("reshape", {{4, 6, 5}}, {2, 12, 5},
                          [](const std::vector<Tensor>& x) { return reshape(x[0], {2, -1, 5}); },
                          [](const Shape& i) { return std::pair<size_t, size_t>{0, flat({2, 12, 5}, i)}; }));
  t.push_back(gather_case("permute", {{2, 3, 17, 4}}, {17, 2, 4, 3},
                          [](const std::vector<Tensor>& x) { return permute(x[0], {2, 0, 3, 1}); },
                          [](const Shape& i) {
                            return std::pair<size_t, size_t>{0, flat({2, 3, 17, 4}, {i[1], i[3], i[0], i[2]})};
                          }));
  t.push_back(gather_case("transpose", {{5, 27, 3}}, {3, 27, 5},
                          [](const std::vector<Tensor>& x) { return transpose(x[0], 0, -1); },
                          [](const Shape& i) { return std::pair<size_t, size_t>{0, flat({5, 27, 3}, {i[2], i[1], i[0]})}; }));
  t.push_back(gather_case("unsqueeze", {{4, 17}}, {4, 1, 17},
                          [](const std::vector<Tensor>& x) { return unsqueeze(x[0], 1); },
                          [](const Shape& i) { return std::pair<size_t, size_t>{0, flat({4, 17}, {i[0], i[2]})}; }));
  t.push_back(gather_case("squeeze", {{4, 1, 17}}, {4, 17},
                          [](const std::vector<Tensor>& x) { return squeeze(x[0], -2); },
                          [](const Shape& i) { return std::pair<size_t, size_t>{0, flat({4, 1, 17}, {i[0], 0, i[1]})}; }));
  t.push_back(gather_case("slice", {{3, 27, 5}}, {3, 20, 5},
                          [](const std::vector<Tensor>& x) { return slice(x[0], 1, 4, -3); },
                          [](const Shape& i) { return std::pair<size_t, size_t>{0, flat({3, 27, 5}, {i[0], i[1] + 4, i[2]})}; }));
  t.push_back(gather_case("concat", {{2, 3, 4}, {2, 1, 4}, {2, 5, 4}}, {2, 9, 4},
                          [](const std::vector<Tensor>& x) { return concat(x, 1); },
                          [](const Shape& i) {
                            if (i[1] < 3) return std::pair<size_t, size_t>{0, flat({2, 3, 4}, i)};
                            if (i[1] < 4) return std::pair<size_t, size_t>{1, flat({2, 1, 4}, {i[0], 0, i[2]})};
                            return std::pair<size_t, size_t>{2, flat({2, 5, 4}, {i[0], i[1] - 4, i[2]})};
                          }));
  t.push_back(gather_case("concat_last_axis", {{6, 2}, {6, 3}}, {6, 5},
                          [](const std::vector<Tensor>& x) { return concat(x, -1); },
                          [](const Shape& i) {
                            return i[1] < 2 ? std::pair<size_t, size_t>{0, flat({6, 2}, i)}
                                            : std::pair<size_t, size_t>{1, flat({6, 3}, {i[0], i[1] - 2})};
                          }));
}

}  // namespace kasf::test
