#include "framework/io/weight_file.h"

#include "framework/io/atomic_file.h"
#include "framework/io/error.h"
#include "framework/io/finite_values.h"
#include "framework/io/hdf5.h"

namespace kasf::io {
namespace {

const char* const kWeightsGroup = "weights";
const char* const kKeyOrder = "state_dict_keys";

}  // namespace

const HostArray* WeightFile::find(const std::string& key) const {
  for (const auto& [name, array] : weights)
    if (name == key) return &array;
  return nullptr;
}

WeightFile read_weight_file(const std::string& path) {
  h5::Handle file = h5::open_file(path);
  if (!h5::exists(file.id(), kWeightsGroup)) throw FormatError("weight file '" + path + "' has no group 'weights/'");
  h5::Handle group = h5::open_group(file.id(), kWeightsGroup);
  std::vector<std::string> keys = h5::exists(file.id(), kKeyOrder) ? h5::read_strings(file.id(), kKeyOrder)
                                                                    : h5::member_names(group.id());
  WeightFile out;
  out.weights.reserve(keys.size());
  for (const auto& key : keys) {
    if (!h5::exists(group.id(), key)) h5::fail(group.id(), key, "is listed in state_dict_keys but missing");
    HostArray array;
    array.values = h5::read_floats(group.id(), key, &array.shape);
    check_finite("HDF5 object '" + h5::describe(group.id(), key) + "'", array.values.data(), array.values.size(), 1,
                 "element");
    out.weights.emplace_back(key, std::move(array));
  }
  out.attributes = h5::read_attributes(file.id());
  return out;
}

void write_weight_layout(hid_t file, const WeightFile& weights) {
  h5::Handle group = h5::create_group(file, kWeightsGroup);
  std::vector<std::string> keys;
  for (const auto& [key, array] : weights.weights) {
    if (static_cast<size_t>(numel(array.shape)) != array.values.size())
      throw FormatError("weight '" + key + "' has shape " + to_string(array.shape) + " but " +
                        std::to_string(array.values.size()) + " values");
    h5::write_floats(group.id(), key, array.shape, array.values.data());
    keys.push_back(key);
  }
  h5::write_strings(file, kKeyOrder, keys);
  for (const auto& [name, value] : weights.attributes) h5::write_attribute(file, name, value);
}

void write_weight_file(const std::string& path, const WeightFile& weights) {
  AtomicFile output(path);
  {
    h5::Handle file = h5::create_file(output.temp_path());
    write_weight_layout(file.id(), weights);
  }
  output.commit();
}

}  // namespace kasf::io
