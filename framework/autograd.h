// Reverse-mode autodiff: ops record a Node (their inputs and a backward closure) on their result.
//
// An op computes its result without recording, then calls record() with a closure that maps the
// result's gradient to its inputs' gradients. backward() walks the recorded graph once in reverse
// topological order, accumulates into leaves' .grad and frees the graph.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "framework/tensor.h"

namespace kasf {

// What a backward closure gets: which inputs need a gradient, and where to put it.
class Grads {
 public:
  explicit Grads(std::vector<bool> needed) : needed_(std::move(needed)), grads_(needed_.size()) {}
  bool needs(size_t input) const { return needed_[input]; }
  void set(size_t input, Tensor grad);  // checked against the input's shape by the engine
  std::vector<Tensor>& all() { return grads_; }

 private:
  std::vector<bool> needed_;
  std::vector<Tensor> grads_;
};

using BackwardFn = std::function<void(const Tensor& grad_output, Grads& grads)>;

struct Node {
  std::string op;               // for error messages
  std::vector<Tensor> inputs;   // the op's tensor inputs, in the closure's order
  BackwardFn backward;
};

// Attaches `backward` to `result` if grad mode is on and some input requires grad; returns result.
// The closure must not capture `result` itself (capture result.detach() instead): that would be a cycle.
Tensor record(Tensor result, const char* op, std::vector<Tensor> inputs, BackwardFn backward);

bool grad_enabled();

// Disables graph recording in its scope (evaluation, optimizer updates, backward itself).
class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

// Called with each leaf as soon as its .grad is final in a backward (no node still to run adds to
// it): where a data-parallel step starts summing gradients while backward goes on.
using LeafGradReady = std::function<void(TensorImpl* leaf)>;

void run_backward(const Tensor& root, const Tensor& grad, const LeafGradReady& on_leaf_ready = nullptr);

}  // namespace kasf
