// Named intermediate values of a forward pass, captured on request (parity tests, debugging).
// Layers report values with probe(); nothing is kept unless a ProbeScope is alive on this thread.
#pragma once
#include <string_view>
#include <map>
#include <string>

#include "framework/tensor.h"

namespace kasf {

class ProbeScope {
 public:
  ProbeScope();
  ~ProbeScope();
  ProbeScope(const ProbeScope&) = delete;
  ProbeScope& operator=(const ProbeScope&) = delete;

  // Detached values by name; a name reported twice keeps the last value.
  const std::map<std::string, Tensor>& values() const { return values_; }
  const Tensor& at(const std::string& name) const;  // throws std::out_of_range naming `name`

 private:
  friend void probe(std::string_view name, const Tensor& value);
  std::map<std::string, Tensor> values_;
  ProbeScope* previous_;
};

bool probing();
// Free when no scope listens; a name that costs something to build is built under `if (probing())`.
void probe(std::string_view name, const Tensor& value);

}  // namespace kasf
