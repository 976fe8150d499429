// The GCN token mixer: out = ReLU(n + BN(Â V(n) + U(n))) over the joints of each frame (the
// skeleton graph) or over the frames of each joint (a top-K similarity graph), Â = D^-1/2 A D^-1/2.
#pragma once
#include "framework/random.h"
#include "layers/batch_norm.h"
#include "layers/linear.h"
#include "layers/token_mixer.h"

namespace kasf {

struct GraphConvOptions {
  int64_t dim = 0;
  int64_t num_nodes = 0;      // 17 joints (spatial) or T frames (temporal): the BatchNorm channels
  int64_t neighbour_num = 0;  // K of the temporal graph
  TokenAxis axis = TokenAxis::Spatial;
};

// The temporal graph of node features (..., T, C): A[t, s] = 1 where the raw dot product of nodes t
// and s is among the K largest of row t (the diagonal competes; ties included). No gradient.
Tensor similarity_graph(const Tensor& nodes, int64_t neighbour_num);
// D^-1/2 A D^-1/2 of 0/1 graphs (..., n, n), D the row sums.
Tensor normalize_graph(const Tensor& graph);

class GraphConv : public TokenMixer {
 public:
  GraphConv(const GraphConvOptions& options, Generator& generator);
  // Temporal mode reports its 0/1 graph (B*J, T, T) to probe() as "temporal_gcn_adjacency/<path>".
  Tensor forward(const Tensor& x, const Tensor& memory) override;

 private:
  GraphConvOptions options_;
  Linear& U_;
  Linear& V_;
  BatchNorm1d& batch_norm_;
  Tensor skeleton_graph_;  // normalised, spatial mode; not a buffer (not in the official state dict)
};

}  // namespace kasf
