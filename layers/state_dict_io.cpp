#include "layers/state_dict_io.h"

#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "framework/autograd.h"

namespace kasf {

namespace {

const std::string kDataParallelPrefix = "module.";

std::string strip_prefix(const std::string& key) {
  return key.rfind(kDataParallelPrefix, 0) == 0 ? key.substr(kDataParallelPrefix.size()) : key;
}

void list_problem(std::ostringstream& message, const char* title, const std::vector<std::string>& keys) {
  if (keys.empty()) return;
  message << "\n  " << title << " (" << keys.size() << "):";
  for (const auto& key : keys) message << "\n    " << key;
}

}  // namespace

void load_state_dict(Module& module, const io::WeightFile& file, bool strict, const std::string& source) {
  std::map<std::string, const io::HostArray*> stored;
  for (const auto& [key, array] : file.weights) stored.emplace(strip_prefix(key), &array);

  std::vector<std::string> missing, misshaped, unexpected;
  std::vector<std::pair<Tensor, const io::HostArray*>> assignments;
  std::set<std::string> expected;
  for (const auto& [name, tensor] : module.state_dict()) {
    expected.insert(name);
    auto found = stored.find(name);
    if (found == stored.end()) {
      missing.push_back(name);
    } else if (found->second->shape != tensor.shape()) {
      misshaped.push_back(name + ": file " + to_string(found->second->shape) + ", model " + to_string(tensor.shape()));
    } else {
      assignments.emplace_back(tensor, found->second);
    }
  }
  for (const auto& [key, array] : stored)
    if (!expected.count(key)) unexpected.push_back(key);

  if (!misshaped.empty() || (strict && (!missing.empty() || !unexpected.empty()))) {
    std::ostringstream message;
    message << source << ": state dict does not match the model";
    list_problem(message, "misshaped keys", misshaped);
    if (strict) {
      list_problem(message, "missing keys", missing);
      list_problem(message, "unexpected keys", unexpected);
    }
    throw std::invalid_argument(message.str());
  }
  NoGradGuard no_grad;
  for (const auto& [tensor, array] : assignments)
    tensor.copy_from(Tensor::from_vector(array->shape, array->values, tensor.device()));
}

io::WeightFile to_weight_file(const Module& module) {
  io::WeightFile file;
  for (const auto& [name, tensor] : module.state_dict())
    file.weights.emplace_back(name, io::HostArray{tensor.shape(), tensor.to_vector()});
  return file;
}

}  // namespace kasf
