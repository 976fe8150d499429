// Module: the unit models are built from (flashlight/PyTorch style). A module owns named
// parameters (leaf tensors that require grad), named buffers (state that is saved but not trained,
// e.g. BatchNorm running statistics) and named child modules, all in registration order, so that
// the dotted names of state_dict() are exactly those of the equivalent PyTorch module. It also names
// the random streams it draws from in training (dropout masks), which training checkpoints save.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "framework/random.h"
#include "framework/tensor.h"

namespace kasf {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;
using NamedGenerators = std::vector<std::pair<std::string, Generator*>>;

class Module {
 public:
  Module() = default;
  virtual ~Module() = default;
  // Children keep a pointer to their parent and layers keep pointers to their children.
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  // Full dotted names, recursively; PyTorch order: own entries first, then each child's.
  NamedTensors named_parameters() const;
  NamedTensors named_buffers() const;
  // The random streams of this module and its descendants, dotted names in the same order; a resumed
  // training run restores their positions so that it draws the masks the interrupted one would have.
  NamedGenerators named_generators() const;
  // Per module: its parameters, then its buffers, then its children's entries (torch state_dict order).
  NamedTensors state_dict() const;
  std::vector<Tensor> parameters() const;
  int64_t parameter_count() const;  // scalars over all parameters

  const std::vector<std::pair<std::string, std::unique_ptr<Module>>>& children() const { return children_; }
  // Dotted path from the root module ("" for the root), e.g. "layers_with_bone.0.att_spatial".
  std::string path() const;

  // Moves every parameter and buffer of this module and its descendants to `device` in place
  // (Tensor::move_to), so the handles layers keep stay valid. Constants a layer derives (the
  // skeleton graph) follow the input's device at forward time.
  void to(Device device);
  // The device of the parameters (CPU without any); throws std::logic_error if they are spread
  // over several devices.
  Device device() const;

  // Train/eval mode of this module and all its descendants.
  void train(bool on = true);
  void eval() { train(false); }
  bool training() const { return training_; }

 protected:
  // A trainable leaf: requires_grad is switched on. Returns the same tensor handle.
  Tensor register_parameter(std::string name, Tensor value);
  Tensor register_buffer(std::string name, Tensor value);
  // `generator` must be a member of the registering module: it is referenced, not copied.
  void register_generator(std::string name, Generator& generator);
  template <class M, class... Args>
  M& add_module(std::string name, Args&&... args) {
    auto child = std::make_unique<M>(std::forward<Args>(args)...);
    M& ref = *child;
    adopt(std::move(name), std::move(child));
    return ref;
  }
  template <class M>
  M& adopt_module(std::string name, std::unique_ptr<M> child) {
    M& ref = *child;
    adopt(std::move(name), std::move(child));
    return ref;
  }

 private:
  void adopt(std::string name, std::unique_ptr<Module> child);
  void collect(const std::string& prefix, bool parameters, bool buffers, NamedTensors& out) const;
  void collect_generators(const std::string& prefix, NamedGenerators& out) const;
  void check_unique(const std::string& name) const;

  NamedTensors parameters_;
  NamedTensors buffers_;
  NamedGenerators generators_;
  std::vector<std::pair<std::string, std::unique_ptr<Module>>> children_;
  const Module* parent_ = nullptr;
  std::string name_;
  bool training_ = true;
};

// An ordered container of child modules named "0", "1", ... (torch.nn.ModuleList).
template <class M>
class ModuleList : public Module {
 public:
  template <class... Args>
  M& append(Args&&... args) {
    M& item = add_module<M>(std::to_string(items_.size()), std::forward<Args>(args)...);
    items_.push_back(&item);
    return item;
  }
  size_t size() const { return items_.size(); }
  M& operator[](size_t i) const { return *items_[i]; }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

 private:
  std::vector<M*> items_;
};

}  // namespace kasf
