#include "layers/learnable_graph_conv.h"

#include <cmath>

#include "framework/ops.h"
#include "layers/init.h"

namespace kasf {

Tensor tree_graph(const std::vector<int64_t>& parents) {
  const auto n = static_cast<int64_t>(parents.size());
  std::vector<float> a(n * n, 0.0f);
  for (int64_t child = 0; child < n; ++child) {
    if (parents[child] < 0) continue;
    a[child * n + parents[child]] = 1.0f;
    a[parents[child] * n + child] = 1.0f;
  }
  for (int64_t row = 0; row < n; ++row) {
    float degree = 0.0f;
    for (int64_t col = 0; col < n; ++col) degree += a[row * n + col];
    for (int64_t col = 0; col < n; ++col)
      a[row * n + col] = col == row ? 1.0f : (degree > 0.0f ? a[row * n + col] / degree : 0.0f);
  }
  return Tensor::from_vector({n, n}, a);
}

namespace {

Tensor identity(int64_t n) {
  std::vector<float> values(n * n, 0.0f);
  for (int64_t i = 0; i < n; ++i) values[i * n + i] = 1.0f;
  return Tensor::from_vector({n, n}, values);
}

}  // namespace

LearnableGraphConv::LearnableGraphConv(int64_t in_features, int64_t out_features, const Tensor& graph,
                                       TokenAxis axis, Generator& generator)
    : axis_(axis), graph_(graph), identity_(identity(graph.size(0))) {
  const int64_t nodes = graph.size(0);
  // The official init: xavier_uniform_(gain 1.414) on (2, in, out) (fan_in = in*out, fan_out =
  // 2*out), M ones, adj2 1e-6, bias uniform in +-1/sqrt(out).
  const auto fan_sum = static_cast<float>(in_features * out_features + 2 * out_features);
  W_ = register_parameter("W", uniform_tensor({2, in_features, out_features}, 1.414f * std::sqrt(6.0f / fan_sum),
                                              generator));
  M_ = register_parameter("M", Tensor::full({nodes, out_features}, 1.0f));
  adj2_ = register_parameter("adj2", Tensor::full({nodes, nodes}, 1e-6f));
  bias_ = register_parameter(
      "bias", uniform_tensor({out_features}, 1.0f / std::sqrt(static_cast<float>(out_features)), generator));
}

Tensor LearnableGraphConv::aggregate(const Tensor& a, const Tensor& h) const {
  if (axis_ == TokenAxis::Spatial) return matmul(a, h);
  // Frames are the second axis: (T, T) @ (B, T, J*C).
  const Shape shape = h.shape();
  return reshape(matmul(a, reshape(h, {shape[0], shape[1], shape[2] * shape[3]})), shape);
}

Tensor LearnableGraphConv::per_node(const Tensor& m) const {
  return axis_ == TokenAxis::Spatial ? m : reshape(m, {m.size(0), 1, m.size(1)});
}

Tensor LearnableGraphConv::forward(const Tensor& x) {
  if (graph_.device() != x.device()) {
    graph_ = graph_.to(x.device());
    identity_ = identity_.to(x.device());
  }
  const int64_t in = W_.size(1), out = W_.size(2);
  Tensor h0 = matmul(x, reshape(slice(W_, 0, 0, 1), {in, out}));
  Tensor h1 = matmul(x, reshape(slice(W_, 0, 1, 2), {in, out}));
  Tensor a = add(graph_, adj2_);
  a = mul_scalar(add(transpose(a, 0, 1), a), 0.5f);
  Tensor self_weights = mul(a, identity_);
  Tensor neighbour_weights = sub(a, self_weights);  // a ∘ (1 - I)
  Tensor m = per_node(M_);
  return add(add(aggregate(self_weights, mul(m, h0)), aggregate(neighbour_weights, mul(m, h1))), bias_);
}

}  // namespace kasf
