#include "datasets/split_fields.h"

#include <stdexcept>

#include "datasets/pose_layout.h"

namespace kasf::data {
namespace {

const FloatArray& array_with_shape(const SplitData& split, const std::string& split_name, const std::string& key,
                                   bool shape_ok, const std::string& expected) {
  const FloatArray& array = split.arrays.at(key);
  if (!shape_ok || static_cast<int64_t>(array.values.size()) != numel(array.shape))
    throw std::invalid_argument(split_name + "/" + key + ": expected shape " + expected + ", got " +
                                to_string(array.shape) + " with " + std::to_string(array.values.size()) + " values");
  return array;
}

const FloatArray& find_array(const SplitData& split, const std::string& split_name, const std::string& key) {
  auto it = split.arrays.find(key);
  if (it == split.arrays.end()) throw std::invalid_argument(split_name + ": missing array '" + key + "'");
  return it->second;
}

}  // namespace

const FloatArray& joint_array(const SplitData& split, const std::string& split_name, const std::string& key,
                              int64_t min_channels) {
  const Shape& s = find_array(split, split_name, key).shape;
  const bool ok = s.size() == 3 && s[0] == split.num_frames && s[1] == kNumJoints && s[2] >= min_channels;
  return array_with_shape(split, split_name, key, ok,
                          "(" + std::to_string(split.num_frames) + ", 17, >=" + std::to_string(min_channels) + ")");
}

const std::vector<float>& joint_scalars(const SplitData& split, const std::string& split_name, const std::string& key) {
  const Shape& s = find_array(split, split_name, key).shape;
  const bool ok = (s.size() == 2 || (s.size() == 3 && s[2] == 1)) && s[0] == split.num_frames && s[1] == kNumJoints;
  const std::string n = std::to_string(split.num_frames);
  return array_with_shape(split, split_name, key, ok, "(" + n + ", 17) or (" + n + ", 17, 1)").values;
}

const std::vector<float>& frame_scalars(const SplitData& split, const std::string& split_name, const std::string& key) {
  const Shape& s = find_array(split, split_name, key).shape;
  const bool ok = (s.size() == 1 || (s.size() == 2 && s[1] == 1)) && s[0] == split.num_frames;
  const std::string n = std::to_string(split.num_frames);
  return array_with_shape(split, split_name, key, ok, "(" + n + ",) or (" + n + ", 1)").values;
}

const StringColumn& frame_strings(const SplitData& split, const std::string& split_name, const std::string& key) {
  auto it = split.strings.find(key);
  if (it == split.strings.end()) throw std::invalid_argument(split_name + ": missing string column '" + key + "'");
  const StringColumn& column = it->second;
  if (static_cast<int64_t>(column.index.size()) != split.num_frames)
    throw std::invalid_argument(split_name + "/" + key + ": " + std::to_string(column.index.size()) +
                                " entries for " + std::to_string(split.num_frames) + " frames");
  for (size_t i = 0; i < column.index.size(); ++i)
    if (column.index[i] < 0 || column.index[i] >= static_cast<int32_t>(column.table.size()))
      throw std::invalid_argument(split_name + "/" + key + ": frame " + std::to_string(i) + " refers to string " +
                                  std::to_string(column.index[i]) + " of a table of " +
                                  std::to_string(column.table.size()));
  return column;
}

}  // namespace kasf::data
