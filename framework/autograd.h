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

// One input of a recorded op as the backward pass sees it: where its gradient goes and the shape it
// must have. An edge keeps the input's producer alive (or, for a leaf that requires grad, the leaf
// whose .grad it accumulates into) but not the input's values: those stay alive only where a
// backward closure saved them, so a training step holds just what its backward reads.
struct Edge {
  std::shared_ptr<Node> producer;    // the op that made the input; null for a leaf
  std::shared_ptr<TensorImpl> leaf;  // the input when it is a leaf that requires grad
  Shape shape;
  bool requires_grad() const { return producer || leaf; }
};

struct Node {
  std::string op;            // for error messages
  std::vector<Edge> inputs;  // the op's tensor inputs, in the closure's order
  BackwardFn backward;
};

// Attaches `backward` to `result` if grad mode is on and some input requires grad; returns result.
// The closure must not capture `result` itself (capture result.detach() instead): that would be a cycle.
Tensor record(Tensor result, const char* op, std::vector<Tensor> inputs, BackwardFn backward);

// Whether record() would attach a backward for these inputs: an op asks before computing when what
// it keeps for its backward changes how it computes (in place when nothing will be kept).
bool will_record(std::initializer_list<Tensor> inputs);

bool grad_enabled();

// Sets whether ops record a graph, for its scope.
class GradModeGuard {
 public:
  explicit GradModeGuard(bool enabled);
  ~GradModeGuard();
  GradModeGuard(const GradModeGuard&) = delete;
  GradModeGuard& operator=(const GradModeGuard&) = delete;

 private:
  bool previous_;
};

// No recording in its scope (evaluation, optimizer updates, backward itself).
struct NoGradGuard : GradModeGuard {
  NoGradGuard() : GradModeGuard(false) {}
};

// Recording in its scope (a backward closure that records a recomputation).
struct EnableGradGuard : GradModeGuard {
  EnableGradGuard() : GradModeGuard(true) {}
};

// Called with each leaf as soon as its .grad is final in a backward (no node still to run adds to
// it): where a data-parallel step starts summing gradients while backward goes on.
using LeafGradReady = std::function<void(TensorImpl* leaf)>;

void run_backward(const Tensor& root, const Tensor& grad, const LeafGradReady& on_leaf_ready = nullptr);

// Activation checkpointing: fn(inputs) computed without recording, so that none of its
// intermediate values is kept; the backward runs fn again with recording and back-propagates
// through that (one more forward of fn per step, for the memory of its inputs only). Gradients
// reach the inputs and, directly, every leaf fn uses (parameters; the surrounding backward's
// LeafGradReady hook hears of them when the recomputed backward finishes them). fn must compute the
// same values again: it restores any random stream it draws from, and skips side effects while
// recomputing().
using RecomputedFn = std::function<Tensor(const std::vector<Tensor>& inputs)>;
Tensor recompute_in_backward(RecomputedFn fn, const std::vector<Tensor>& inputs);
// True while a recompute_in_backward backward runs its function again.
bool recomputing();

}  // namespace kasf
