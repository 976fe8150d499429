#include "layers/graph_conv.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "framework/autograd.h"
#include "framework/ops.h"
#include "layers/init.h"
#include "layers/probe.h"
#include "layers/skeleton.h"

namespace kasf {

namespace {

// GCN weights: N(0, 2/dim) (the official _init_gcn); biases keep Linear's default.
Linear& with_gcn_init(Linear& layer, int64_t dim, Generator& generator) {
  layer.weight().copy_from(normal_tensor({dim, dim}, std::sqrt(2.0f / static_cast<float>(dim)), generator));
  return layer;
}

}  // namespace

Tensor similarity_graph(const Tensor& nodes, int64_t neighbour_num) {
  NoGradGuard no_grad;
  Tensor detached = nodes.detach();
  return topk_adjacency(matmul(detached, transpose(detached, -2, -1)), neighbour_num);
}

Tensor normalize_graph(const Tensor& graph) {
  Tensor inv_sqrt_degree = pow_scalar(sum(graph, {-1}, true), -0.5f);
  return mul(mul(inv_sqrt_degree, graph), transpose(inv_sqrt_degree, -2, -1));
}

GraphConv::GraphConv(const GraphConvOptions& options, Generator& generator)
    : options_(options),
      U_(with_gcn_init(add_module<Linear>("U", options.dim, options.dim, true, generator), options.dim, generator)),
      V_(with_gcn_init(add_module<Linear>("V", options.dim, options.dim, true, generator), options.dim, generator)),
      batch_norm_(add_module<BatchNorm1d>("batch_norm", options.num_nodes)) {
  if (options.axis == TokenAxis::Spatial) {
    if (options.num_nodes != skeleton::kNumJoints)
      throw std::invalid_argument("spatial GCN: the skeleton graph has 17 joints, not " +
                                  std::to_string(options.num_nodes));
    skeleton_graph_ = normalize_graph(skeleton::adjacency());
  } else if (options.neighbour_num <= 0 || options.neighbour_num > options.num_nodes) {
    throw std::invalid_argument("temporal GCN: neighbour_num " + std::to_string(options.neighbour_num) +
                                " must lie in [1, " + std::to_string(options.num_nodes) + "]");
  }
}

Tensor GraphConv::forward(const Tensor& x, const Tensor&) {
  const int64_t B = x.size(0), T = x.size(1), J = x.size(2), C = x.size(3);
  const bool spatial = options_.axis == TokenAxis::Spatial;
  // Nodes along the second axis: (B*T, J, C) or (B*J, T, C).
  Tensor nodes = spatial ? reshape(x, {B * T, J, C}) : reshape(permute(x, {0, 2, 1, 3}), {B * J, T, C});
  if (nodes.size(1) != options_.num_nodes)
    throw ShapeError("GCN " + path() + ": expected " + std::to_string(options_.num_nodes) + " nodes, got input " +
                     to_string(x.shape()));
  Tensor adjacency;
  if (spatial) {
    if (skeleton_graph_.device() != x.device()) skeleton_graph_ = skeleton_graph_.to(x.device());
    adjacency = skeleton_graph_;
  } else {
    Tensor graph = similarity_graph(nodes, options_.neighbour_num);
    if (probing()) probe("temporal_gcn_adjacency/" + path(), graph);
    adjacency = normalize_graph(graph);
  }
  Tensor aggregated = add(matmul(adjacency, V_.forward(nodes)), U_.forward(nodes));
  Tensor out = relu(add(nodes, batch_norm_.forward(aggregated)));
  return spatial ? reshape(out, {B, T, J, C}) : permute(reshape(out, {B, J, T, C}), {0, 2, 1, 3});
}

}  // namespace kasf
