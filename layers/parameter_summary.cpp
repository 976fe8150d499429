#include "layers/parameter_summary.h"

#include <iomanip>
#include <sstream>

namespace kasf {

namespace {

void add_row(std::ostringstream& out, int level, const std::string& name, size_t tensors, int64_t scalars) {
  out << std::left << std::setw(56) << (std::string(2 * level, ' ') + name) << std::right << std::setw(8) << tensors
      << std::setw(14) << scalars << "\n";
}

void add_module_rows(std::ostringstream& out, const Module& module, const std::string& prefix, int level, int depth) {
  for (const auto& [name, child] : module.children()) {
    add_row(out, level, prefix + name, child->named_parameters().size(), child->parameter_count());
    if (level + 1 < depth) add_module_rows(out, *child, prefix + name + ".", level + 1, depth);
  }
}

}  // namespace

std::string parameter_summary(const Module& root, int depth) {
  std::ostringstream out;
  out << std::left << std::setw(56) << "module" << std::right << std::setw(8) << "tensors" << std::setw(14)
      << "parameters" << "\n";
  for (const auto& [name, tensor] : root.named_parameters())
    if (name.find('.') == std::string::npos) add_row(out, 0, name, 1, tensor.numel());
  add_module_rows(out, root, "", 0, depth);
  out << "parameter tensors: " << root.named_parameters().size() << "\n";
  out << "parameters: " << root.parameter_count() << "\n";
  return out.str();
}

}  // namespace kasf
