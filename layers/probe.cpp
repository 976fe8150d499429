#include "layers/probe.h"

#include <stdexcept>

namespace kasf {

namespace {
thread_local ProbeScope* active_scope = nullptr;
}

ProbeScope::ProbeScope() : previous_(active_scope) { active_scope = this; }

ProbeScope::~ProbeScope() { active_scope = previous_; }

const Tensor& ProbeScope::at(const std::string& name) const {
  auto found = values_.find(name);
  if (found == values_.end()) throw std::out_of_range("no probed value named '" + name + "'");
  return found->second;
}

bool probing() { return active_scope != nullptr; }

void probe(std::string_view name, const Tensor& value) {
  if (active_scope != nullptr) active_scope->values_[std::string(name)] = value.detach();
}

}  // namespace kasf
