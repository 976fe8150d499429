// The learnable (semantic) graph convolution of KTPFormer's kinematics and trajectory priors (the
// official LearnableGraphConv), over the joints of each frame or the frames of each joint of
// (B, T, J, C) tokens:
//   A = (G + adj2 + (G + adj2)^T) / 2
//   out = (A ∘ I) (M ∘ x W_0) + (A ∘ (1 - I)) (M ∘ x W_1) + bias
// G is a fixed graph (not a parameter or buffer), adj2 its learned correction, M a per-node channel
// modulation. Parameters "W" (2, in, out), "M" (nodes, out), "adj2" (nodes, nodes), "bias" (out).
#pragma once
#include <vector>

#include "framework/random.h"
#include "layers/module.h"
#include "layers/token_mixer.h"

namespace kasf {

// The official graph of a tree given by each node's parent (-1: none): child-parent edges both
// ways, each row divided by its node's degree, then a unit diagonal.
Tensor tree_graph(const std::vector<int64_t>& parents);

class LearnableGraphConv : public Module {
 public:
  // `graph` (nodes, nodes): nodes = J (spatial axis) or T (temporal axis).
  LearnableGraphConv(int64_t in_features, int64_t out_features, const Tensor& graph, TokenAxis axis,
                     Generator& generator);
  // (B, T, J, in) -> (B, T, J, out)
  Tensor forward(const Tensor& x);

 private:
  // The (nodes, nodes) matrix `a` applied along the node axis of `h` (B, T, J, C).
  Tensor aggregate(const Tensor& a, const Tensor& h) const;
  // `m` (nodes, C) laid out to broadcast against (B, T, J, C).
  Tensor per_node(const Tensor& m) const;

  TokenAxis axis_;
  Tensor W_;
  Tensor M_;
  Tensor adj2_;
  Tensor bias_;
  Tensor graph_;     // constants that follow the input's device
  Tensor identity_;
};

}  // namespace kasf
