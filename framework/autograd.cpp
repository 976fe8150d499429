#include "framework/autograd.h"

#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "framework/ops.h"

namespace kasf {

namespace {
thread_local bool g_grad_enabled = true;
}

bool grad_enabled() { return g_grad_enabled; }
NoGradGuard::NoGradGuard() : previous_(g_grad_enabled) { g_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { g_grad_enabled = previous_; }

void Grads::set(size_t input, Tensor grad) {
  if (needed_[input]) grads_[input] = std::move(grad);
}

Tensor record(Tensor result, const char* op, std::vector<Tensor> inputs, BackwardFn backward) {
  if (!g_grad_enabled) return result;
  bool any = false;
  for (const Tensor& t : inputs) any = any || (t.defined() && t.requires_grad());
  if (!any) return result;
  result.impl()->grad_fn = std::make_shared<Node>(Node{op, std::move(inputs), std::move(backward)});
  result.impl()->requires_grad = true;
  return result;
}

namespace {

// Nodes reachable from `root`, each after every node that consumes its output.
std::vector<Node*> reverse_topological_order(Node* root) {
  std::vector<Node*> post_order;
  std::unordered_set<Node*> visited{root};
  std::vector<std::pair<Node*, size_t>> stack{{root, 0}};
  while (!stack.empty()) {
    auto& [node, next_input] = stack.back();
    if (next_input < node->inputs.size()) {
      const Tensor& input = node->inputs[next_input++];
      Node* child = input.defined() ? input.impl()->grad_fn.get() : nullptr;
      if (child && visited.insert(child).second) stack.emplace_back(child, 0);
    } else {
      post_order.push_back(node);
      stack.pop_back();
    }
  }
  return {post_order.rbegin(), post_order.rend()};
}

Tensor accumulate(const Tensor& sum, const Tensor& term) { return sum.defined() ? add(sum, term) : term; }

}  // namespace

void run_backward(const Tensor& root, const Tensor& grad, const LeafGradReady& on_leaf_ready) {
  if (!root.requires_grad()) throw std::logic_error("backward: the tensor does not require grad");
  Tensor seed = grad;
  if (!seed.defined()) {
    if (root.numel() != 1)
      throw_shape_error("backward", "an implicit gradient needs a one-element tensor, got " + to_string(root.shape()));
    seed = Tensor::full(root.shape(), 1.0f, root.device());
  } else if (seed.shape() != root.shape()) {
    throw_shape_error("backward", "gradient " + to_string(seed.shape()) + " for tensor " + to_string(root.shape()));
  }
  NoGradGuard no_grad;
  Node* root_node = root.impl()->grad_fn.get();
  if (!root_node) {
    root.impl()->grad = accumulate(root.impl()->grad, seed);
    if (on_leaf_ready) on_leaf_ready(root.impl());
    return;
  }
  const std::vector<Node*> order = reverse_topological_order(root_node);
  // Per leaf, the nodes still to run that feed its gradient.
  std::unordered_map<TensorImpl*, int> pending_uses;
  if (on_leaf_ready)
    for (Node* node : order)
      for (const Tensor& t : node->inputs)
        if (t.defined() && t.requires_grad() && !t.impl()->grad_fn) ++pending_uses[t.impl()];
  std::unordered_map<Node*, Tensor> pending{{root_node, seed}};
  // Freeing a node's inputs may drop the last owner of a node still to come; keep those alive.
  std::vector<std::shared_ptr<Node>> keep_alive;
  for (Node* node : order) {
    if (!node->backward) throw std::logic_error("backward: the graph through '" + node->op + "' was already freed");
    Tensor g = std::move(pending[node]);
    pending.erase(node);
    std::vector<bool> needed;
    for (const Tensor& t : node->inputs) needed.push_back(t.defined() && t.requires_grad());
    Grads grads(needed);
    if (g.defined()) node->backward(g, grads);
    for (size_t i = 0; i < node->inputs.size(); ++i) {
      const Tensor& gi = grads.all()[i];
      if (!gi.defined()) continue;
      TensorImpl* input = node->inputs[i].impl();
      if (gi.shape() != input->shape)
        throw std::logic_error("backward of '" + node->op + "' gave a gradient of shape " + to_string(gi.shape()) +
                               " for an input of shape " + to_string(input->shape));
      if (input->grad_fn)
        pending[input->grad_fn.get()] = accumulate(pending[input->grad_fn.get()], gi);
      else
        input->grad = accumulate(input->grad, gi);
    }
    if (on_leaf_ready)
      for (const Tensor& t : node->inputs)
        if (t.defined() && t.requires_grad() && !t.impl()->grad_fn && --pending_uses[t.impl()] == 0)
          on_leaf_ready(t.impl());
    // Free the graph: saved tensors live in the closure and the inputs.
    for (const Tensor& t : node->inputs)
      if (t.defined() && t.impl()->grad_fn) keep_alive.push_back(t.impl()->grad_fn);
    node->inputs.clear();
    node->backward = nullptr;
  }
}

}  // namespace kasf
