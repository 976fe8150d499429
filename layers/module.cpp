#include "layers/module.h"

#include <stdexcept>

namespace kasf {

void Module::check_unique(const std::string& name) const {
  auto taken = [&](const auto& list) {
    for (const auto& entry : list)
      if (entry.first == name) return true;
    return false;
  };
  if (name.empty() || name.find('.') != std::string::npos)
    throw std::invalid_argument("Module: invalid member name '" + name + "'");
  if (taken(parameters_) || taken(buffers_) || taken(generators_) || taken(children_))
    throw std::invalid_argument("Module: member '" + name + "' registered twice");
}

Tensor Module::register_parameter(std::string name, Tensor value) {
  check_unique(name);
  value.set_requires_grad(true);
  parameters_.emplace_back(std::move(name), value);
  return value;
}

Tensor Module::register_buffer(std::string name, Tensor value) {
  check_unique(name);
  buffers_.emplace_back(std::move(name), value);
  return value;
}

void Module::register_generator(std::string name, Generator& generator) {
  check_unique(name);
  generators_.emplace_back(std::move(name), &generator);
}

void Module::adopt(std::string name, std::unique_ptr<Module> child) {
  check_unique(name);
  child->parent_ = this;
  child->name_ = name;
  child->train(training_);
  children_.emplace_back(std::move(name), std::move(child));
}

void Module::collect(const std::string& prefix, bool parameters, bool buffers, NamedTensors& out) const {
  if (parameters)
    for (const auto& [name, tensor] : parameters_) out.emplace_back(prefix + name, tensor);
  if (buffers)
    for (const auto& [name, tensor] : buffers_) out.emplace_back(prefix + name, tensor);
  for (const auto& [name, child] : children_) child->collect(prefix + name + ".", parameters, buffers, out);
}

void Module::collect_generators(const std::string& prefix, NamedGenerators& out) const {
  for (const auto& [name, generator] : generators_) out.emplace_back(prefix + name, generator);
  for (const auto& [name, child] : children_) child->collect_generators(prefix + name + ".", out);
}

NamedGenerators Module::named_generators() const {
  NamedGenerators out;
  collect_generators("", out);
  return out;
}

NamedTensors Module::named_parameters() const {
  NamedTensors out;
  collect("", true, false, out);
  return out;
}

NamedTensors Module::named_buffers() const {
  NamedTensors out;
  collect("", false, true, out);
  return out;
}

NamedTensors Module::state_dict() const {
  NamedTensors out;
  collect("", true, true, out);
  return out;
}

std::vector<Tensor> Module::parameters() const {
  std::vector<Tensor> out;
  for (auto& entry : named_parameters()) out.push_back(entry.second);
  return out;
}

int64_t Module::parameter_count() const {
  int64_t count = 0;
  for (const auto& entry : named_parameters()) count += entry.second.numel();
  return count;
}

std::string Module::path() const {
  if (parent_ == nullptr) return "";
  std::string parent_path = parent_->path();
  return parent_path.empty() ? name_ : parent_path + "." + name_;
}

void Module::to(Device device) {
  for (const auto& entry : state_dict()) entry.second.move_to(device);
}

Device Module::device() const {
  const NamedTensors parameters = named_parameters();
  if (parameters.empty()) return Device::CPU;
  const Device device = parameters.front().second.device();
  for (const auto& [name, tensor] : parameters)
    if (tensor.device() != device)
      throw std::logic_error("Module: parameter '" + name + "' is on " + device_name(tensor.device()) + ", '" +
                             parameters.front().first + "' on " + device_name(device));
  return device;
}

void Module::train(bool on) {
  training_ = on;
  for (auto& entry : children_) entry.second->train(on);
}

}  // namespace kasf
