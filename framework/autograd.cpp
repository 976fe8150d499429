#include "framework/autograd.h"

#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "framework/ops.h"

namespace kasf {

namespace {
thread_local bool g_grad_enabled = true;
thread_local int g_recomputing = 0;
// The hook of the backward running on this thread, for the backward a recomputation runs inside it.
thread_local const LeafGradReady* g_leaf_hook = nullptr;
}

bool grad_enabled() { return g_grad_enabled; }
GradModeGuard::GradModeGuard(bool enabled) : previous_(g_grad_enabled) { g_grad_enabled = enabled; }
GradModeGuard::~GradModeGuard() { g_grad_enabled = previous_; }
bool recomputing() { return g_recomputing > 0; }

void Grads::set(size_t input, Tensor grad) {
  if (needed_[input]) grads_[input] = std::move(grad);
}

namespace {

template <class Tensors>
bool records(const Tensors& inputs) {
  if (!g_grad_enabled) return false;
  for (const Tensor& t : inputs)
    if (t.defined() && t.requires_grad()) return true;
  return false;
}

}  // namespace

bool will_record(std::initializer_list<Tensor> inputs) { return records(inputs); }

Tensor record(Tensor result, const char* op, std::vector<Tensor> inputs, BackwardFn backward) {
  if (!records(inputs)) return result;
  std::vector<Edge> edges(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& t = inputs[i];
    if (!t.defined() || !t.requires_grad()) continue;
    edges[i].producer = t.impl()->grad_fn;
    if (!edges[i].producer) edges[i].leaf = t.impl_ptr();
    edges[i].shape = t.shape();
  }
  result.impl()->grad_fn = std::make_shared<Node>(Node{op, std::move(edges), std::move(backward)});
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
      Node* child = node->inputs[next_input++].producer.get();
      if (child && visited.insert(child).second) stack.emplace_back(child, 0);
    } else {
      post_order.push_back(node);
      stack.pop_back();
    }
  }
  return {post_order.rbegin(), post_order.rend()};
}

Tensor accumulate(const Tensor& sum, const Tensor& term) { return sum.defined() ? add(sum, term) : term; }

// A leaf with a gradient window (ParameterArena) sums its gradient there in place: the first term
// is copied in, later ones added. A gradient set from outside (set_grad) is summed as any other.
void accumulate_into_leaf(TensorImpl& leaf, const Tensor& term) {
  const Tensor& window = leaf.grad_window;
  if (!window.defined() || (leaf.grad.defined() && !leaf.grad.same(window))) {
    leaf.grad = accumulate(leaf.grad, term);
  } else if (!leaf.grad.defined()) {
    window.copy_from(term);
    leaf.grad = window;
  } else {
    const Tensor addend = term.device() == window.device() ? term : term.to(window.device());
    window.backend().binary(BinaryOp::Add, window.data(), window.layout(), addend.data(), addend.layout(),
                            window.data(), window.layout());
  }
}

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
  struct ActiveHook {
    const LeafGradReady* previous = g_leaf_hook;
    explicit ActiveHook(const LeafGradReady* hook) { g_leaf_hook = hook; }
    ~ActiveHook() { g_leaf_hook = previous; }
  } active(on_leaf_ready ? &on_leaf_ready : nullptr);
  Node* root_node = root.impl()->grad_fn.get();
  if (!root_node) {
    accumulate_into_leaf(*root.impl(), seed);
    if (on_leaf_ready) on_leaf_ready(root.impl());
    return;
  }
  const std::vector<Node*> order = reverse_topological_order(root_node);
  // Per leaf, the nodes still to run that feed its gradient.
  std::unordered_map<TensorImpl*, int> pending_uses;
  if (on_leaf_ready)
    for (Node* node : order)
      for (const Edge& e : node->inputs)
        if (e.leaf) ++pending_uses[e.leaf.get()];
  std::unordered_map<Node*, Tensor> pending{{root_node, seed}};
  // Freeing a node's inputs may drop the last owner of a node still to come; keep those alive.
  std::vector<std::shared_ptr<Node>> keep_alive;
  for (Node* node : order) {
    if (!node->backward) throw std::logic_error("backward: the graph through '" + node->op + "' was already freed");
    Tensor g = std::move(pending[node]);
    pending.erase(node);
    std::vector<bool> needed;
    for (const Edge& e : node->inputs) needed.push_back(e.requires_grad());
    Grads grads(needed);
    if (g.defined()) node->backward(g, grads);
    // Free the closure (and the tensors it saved) before the gradients flow on.
    node->backward = nullptr;
    for (size_t i = 0; i < node->inputs.size(); ++i) {
      Tensor& gi = grads.all()[i];
      if (!gi.defined()) continue;
      const Edge& input = node->inputs[i];
      if (gi.shape() != input.shape)
        throw std::logic_error("backward of '" + node->op + "' gave a gradient of shape " + to_string(gi.shape()) +
                               " for an input of shape " + to_string(input.shape));
      if (input.producer) {
        Tensor& sum = pending[input.producer.get()];
        sum = accumulate(sum, gi);
      } else {
        accumulate_into_leaf(*input.leaf, gi);
      }
      gi = Tensor();
    }
    if (on_leaf_ready)
      for (const Edge& e : node->inputs)
        if (e.leaf && --pending_uses[e.leaf.get()] == 0) on_leaf_ready(e.leaf.get());
    for (const Edge& e : node->inputs)
      if (e.producer) keep_alive.push_back(e.producer);
    node->inputs.clear();
  }
}

Tensor recompute_in_backward(RecomputedFn fn, const std::vector<Tensor>& inputs) {
  std::vector<Tensor> detached;
  for (const Tensor& t : inputs) detached.push_back(t.defined() ? t.detach() : Tensor());
  Tensor out;
  {
    NoGradGuard no_grad;
    out = fn(detached);
  }
  return record(out, "recompute_in_backward", inputs, [fn = std::move(fn), detached](const Tensor& g, Grads& grads) {
    // Fresh leaves on the same values, so the recomputed graph ends at them.
    std::vector<Tensor> leaves;
    for (size_t i = 0; i < detached.size(); ++i) {
      Tensor leaf = detached[i].defined() ? detached[i].detach() : Tensor();
      if (leaf.defined() && grads.needs(i)) leaf.set_requires_grad(true);
      leaves.push_back(leaf);
    }
    Tensor replayed;
    {
      struct Recomputing {
        Recomputing() { ++g_recomputing; }
        ~Recomputing() { --g_recomputing; }
      } scope;
      EnableGradGuard grad;
      replayed = fn(leaves);
    }
    if (replayed.requires_grad()) run_backward(replayed, g, g_leaf_hook ? *g_leaf_hook : LeafGradReady());
    for (size_t i = 0; i < leaves.size(); ++i)
      if (grads.needs(i) && leaves[i].grad().defined()) grads.set(i, leaves[i].grad());
  });
}

}  // namespace kasf
