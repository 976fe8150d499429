// Op table cases: softmax, layer_norm, batch_norm (training and evaluation), dropout,
// index_select and the top-K adjacency.
#include <algorithm>
#include <cmath>

#include "framework/random.h"
#include "tests/framework/op_table.h"

namespace kasf::test {

namespace {

OpCase softmax_case(std::string name, Shape shape) {
  OpCase c;
  c.name = std::move(name);
  c.input_shapes = {shape};
  c.low = -4.0f, c.high = 4.0f;
  c.op = [](const std::vector<Tensor>& x) { return softmax(x[0]); };
  c.reference = [shape](const std::vector<HostValues>& in, Shape& s, HostValues& out) {
    s = shape;
    const size_t cols = static_cast<size_t>(shape.back());
    out.resize(in[0].size());
    for (size_t r = 0; r < in[0].size() / cols; ++r) {
      double total = 0.0;
      for (size_t j = 0; j < cols; ++j) total += std::exp(static_cast<double>(in[0][r * cols + j]));
      for (size_t j = 0; j < cols; ++j) out[r * cols + j] = static_cast<float>(std::exp(in[0][r * cols + j]) / total);
    }
  };
  return c;
}

// Element i belongs to normalisation group `group_of(i)` (one of `groups`).
struct HostNorm {
  std::function<size_t(size_t)> group_of;
  size_t groups;
  float eps;
};

// (x - mean) / sqrt(var + eps) per group, with the group's own biased statistics or the given
// `fixed_mean`/`fixed_var`; then * gamma + beta (given per element) when those are non-null.
HostValues host_normalise(const HostValues& x, const HostNorm& norm, const HostValues* gamma, const HostValues* beta,
                          const HostValues* fixed_mean, const HostValues* fixed_var) {
  std::vector<double> mean(norm.groups, 0.0), var(norm.groups, 0.0), count(norm.groups, 0.0);
  if (fixed_mean) {
    for (size_t g = 0; g < norm.groups; ++g) mean[g] = (*fixed_mean)[g], var[g] = (*fixed_var)[g];
  } else {
    for (size_t i = 0; i < x.size(); ++i) mean[norm.group_of(i)] += x[i], count[norm.group_of(i)] += 1;
    for (size_t g = 0; g < norm.groups; ++g) mean[g] /= count[g];
    for (size_t i = 0; i < x.size(); ++i) var[norm.group_of(i)] += std::pow(x[i] - mean[norm.group_of(i)], 2);
    for (size_t g = 0; g < norm.groups; ++g) var[g] /= count[g];
  }
  HostValues y(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const size_t g = norm.group_of(i);
    double v = (x[i] - mean[g]) / std::sqrt(var[g] + norm.eps);
    y[i] = static_cast<float>(gamma ? v * (*gamma)[i] + (*beta)[i] : v);
  }
  return y;
}

// A per-feature parameter spread to every element of x: element i gets param[param_of(i)].
HostValues spread(const HostValues& param, size_t count, const std::function<size_t(size_t)>& param_of) {
  HostValues out(count);
  for (size_t i = 0; i < count; ++i) out[i] = param[param_of(i)];
  return out;
}

OpCase layer_norm_case(std::string name, Shape shape, bool affine) {
  OpCase c;
  c.name = std::move(name);
  const int64_t cols = shape.back();
  c.input_shapes = {shape};
  if (affine) c.input_shapes.insert(c.input_shapes.end(), {{cols}, {cols}});
  c.low = -2.0f, c.high = 3.0f;
  c.op = [affine](const std::vector<Tensor>& x) {
    return affine ? layer_norm(x[0], x[1], x[2]) : layer_norm(x[0], Tensor(), Tensor());
  };
  c.reference = [shape, cols, affine](const std::vector<HostValues>& in, Shape& s, HostValues& out) {
    s = shape;
    const size_t n = in[0].size();
    auto row = [cols](size_t i) { return i / static_cast<size_t>(cols); };
    auto col = [cols](size_t i) { return i % static_cast<size_t>(cols); };
    HostNorm norm{row, n / static_cast<size_t>(cols), 1e-5f};
    if (!affine) {
      out = host_normalise(in[0], norm, nullptr, nullptr, nullptr, nullptr);
      return;
    }
    HostValues gamma = spread(in[1], n, col), beta = spread(in[2], n, col);
    out = host_normalise(in[0], norm, &gamma, &beta, nullptr, nullptr);
  };
  return c;
}

// x (N, C) or (N, C, L); inputs x, gamma, beta, running_mean, running_var (the last two are
// buffers, not differentiated). `affine` = false passes no gamma/beta.
OpCase batch_norm_case(std::string name, Shape shape, bool training, bool affine) {
  OpCase c;
  c.name = std::move(name);
  const int64_t channels = shape[1];
  c.input_shapes = {shape, {channels}, {channels}, {channels}, {channels}};
  c.differentiable = {true, affine, affine, false, false};
  c.low = -2.0f, c.high = 3.0f;
  c.prepare = [](std::vector<HostValues>& in) {
    for (float& v : in[4]) v = 0.5f + std::fabs(v);  // a running variance is positive
  };
  c.op = [training, affine](const std::vector<Tensor>& x) {
    // Fresh copies of the buffers: the op updates them in place in training.
    Tensor running_mean = x[3].detach().clone(), running_var = x[4].detach().clone();
    return batch_norm(x[0], affine ? x[1] : Tensor(), affine ? x[2] : Tensor(), running_mean, running_var, training);
  };
  c.reference = [shape, channels, training, affine](const std::vector<HostValues>& in, Shape& s, HostValues& out) {
    s = shape;
    const size_t inner = shape.size() == 3 ? static_cast<size_t>(shape[2]) : 1;
    auto channel = [channels, inner](size_t i) { return (i / inner) % static_cast<size_t>(channels); };
    HostNorm norm{channel, static_cast<size_t>(channels), 1e-5f};
    HostValues gamma = spread(in[1], in[0].size(), channel), beta = spread(in[2], in[0].size(), channel);
    out = host_normalise(in[0], norm, affine ? &gamma : nullptr, affine ? &beta : nullptr, training ? nullptr : &in[3],
                         training ? nullptr : &in[4]);
  };
  return c;
}

OpCase dropout_case(std::string name, Shape shape, float p) {
  constexpr uint64_t kSeed = 1234;
  OpCase c;
  c.name = std::move(name);
  c.input_shapes = {shape};
  c.op = [p](const std::vector<Tensor>& x) {
    Generator generator(kSeed);  // the same mask on every call, so finite differences see one function
    return dropout(x[0], p, true, generator);
  };
  c.reference = [shape, p](const std::vector<HostValues>& in, Shape& s, HostValues& out) {
    s = shape;
    out.resize(in[0].size());
    for (size_t i = 0; i < out.size(); ++i) out[i] = random_uniform(kSeed, i) < p ? 0.0f : in[0][i] / (1.0f - p);
  };
  return c;
}

OpCase index_select_case(std::string name, Shape shape, int64_t axis, std::vector<int64_t> index) {
  OpCase c;
  c.name = std::move(name);
  c.input_shapes = {shape};
  c.op = [axis, index](const std::vector<Tensor>& x) { return index_select(x[0], axis, index); };
  c.reference = [shape, axis, index](const std::vector<HostValues>& in, Shape& s, HostValues& out) {
    const size_t a = static_cast<size_t>(axis < 0 ? axis + static_cast<int64_t>(shape.size()) : axis);
    s = shape;
    s[a] = static_cast<int64_t>(index.size());
    const Shape strides = contiguous_strides(shape), out_strides = contiguous_strides(s);
    out.resize(static_cast<size_t>(numel(s)));
    for (size_t i = 0; i < out.size(); ++i) {
      size_t source = 0, rest = i;
      for (size_t d = 0; d < s.size(); ++d) {
        size_t coordinate = rest / out_strides[d];
        rest %= out_strides[d];
        source += (d == a ? static_cast<size_t>(index[coordinate]) : coordinate) * strides[d];
      }
      out[i] = in[0][source];
    }
  };
  return c;
}

// Values rounded to a coarse grid, so rows contain ties at and around the k-th largest.
OpCase topk_case(std::string name, Shape shape, int64_t k, float grid) {
  OpCase c;
  c.name = std::move(name);
  c.input_shapes = {shape};
  c.has_gradient = false;
  c.prepare = [grid](std::vector<HostValues>& in) {
    for (float& v : in[0]) v = std::round(v / grid) * grid;
  };
  c.op = [k](const std::vector<Tensor>& x) { return topk_adjacency(x[0], k); };
  // s[r, c] >= the k-th largest of row r  <=>  fewer than k entries of the row exceed s[r, c].
  c.reference = [shape, k](const std::vector<HostValues>& in, Shape& s, HostValues& out) {
    s = shape;
    const size_t n = static_cast<size_t>(shape.back());
    out.resize(in[0].size());
    for (size_t r = 0; r < in[0].size() / n; ++r)
      for (size_t j = 0; j < n; ++j) {
        const float v = in[0][r * n + j];
        int64_t greater = 0;
        for (size_t q = 0; q < n; ++q) greater += in[0][r * n + q] > v;
        out[r * n + j] = greater < k ? 1.0f : 0.0f;
      }
  };
  return c;
}

}  // namespace

void add_nn_cases(std::vector<OpCase>& t) {
  t.push_back(softmax_case("softmax_rows_of_17", {5, 17}));
  t.push_back(softmax_case("softmax_rows_of_27", {2, 3, 27}));
  t.push_back(softmax_case("softmax_single_column", {4, 1}));
  t.push_back(layer_norm_case("layer_norm_affine", {4, 17, 16}, true));
  t.push_back(layer_norm_case("layer_norm_plain", {27, 5}, false));
  t.push_back(batch_norm_case("batch_norm_train_2d", {17, 5}, true, true));
  t.push_back(batch_norm_case("batch_norm_train_3d", {6, 27, 4}, true, true));
  t.push_back(batch_norm_case("batch_norm_train_no_affine", {5, 17, 3}, true, false));
  t.push_back(batch_norm_case("batch_norm_eval_3d", {5, 17, 3}, false, true));
  t.push_back(batch_norm_case("batch_norm_eval_2d", {9, 4}, false, true));
  t.push_back(dropout_case("dropout_p0_identity", {3, 17}, 0.0f));
  t.push_back(dropout_case("dropout_p03", {27, 17}, 0.3f));
  t.push_back(index_select_case("index_select_middle_axis", {4, 17, 3}, 1, {16, 0, 3, 3, 8}));
  t.push_back(index_select_case("index_select_first_axis", {5, 6}, 0, {4, 4, 1}));
  t.push_back(index_select_case("index_select_last_axis", {3, 2, 27}, -1, {26, 0, 13, 26}));
  t.push_back(topk_case("topk_adjacency_27_k4_ties", {3, 27, 27}, 4, 0.25f));
  t.push_back(topk_case("topk_adjacency_17_k1", {2, 17, 17}, 1, 0.125f));
  t.push_back(topk_case("topk_adjacency_243_k10_ties", {1, 243, 243}, 10, 0.05f));
  t.push_back(topk_case("topk_adjacency_all_k", {4, 4}, 4, 0.5f));
}

}  // namespace kasf::test
