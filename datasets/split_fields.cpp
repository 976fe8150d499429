#include "datasets/split_fields.h"

#include <cstring>
#include <stdexcept>

#include "datasets/pose_layout.h"
#include "framework/io/error.h"
#include "framework/io/finite_values.h"

namespace kasf::data {
namespace {

void expect_shape(bool ok, const Shape& shape, const std::string& where, const std::string& expected) {
  if (!ok) throw std::invalid_argument(where + ": expected shape " + expected + ", got " + to_string(shape));
}

const FloatArray& find_array(const SplitData& split, const std::string& split_name, const std::string& key) {
  auto it = split.arrays.find(key);
  if (it == split.arrays.end()) throw std::invalid_argument(split_name + ": missing array '" + key + "'");
  return it->second;
}

// The array under `key` once `check_shape(shape, num_frames, where)` accepts it and it holds all its values.
template <typename CheckShape>
const FloatArray& checked_array(const SplitData& split, const std::string& split_name, const std::string& key,
                                CheckShape check_shape) {
  const FloatArray& array = find_array(split, split_name, key);
  const std::string where = split_name + "/" + key;
  check_shape(array.shape, split.num_frames, where);
  if (static_cast<int64_t>(array.values.size()) != numel(array.shape))
    throw std::invalid_argument(where + ": shape " + to_string(array.shape) + " but " +
                                std::to_string(array.values.size()) + " values");
  return array;
}

}  // namespace

void check_joint_array_shape(const Shape& s, int64_t num_frames, const std::string& where, int64_t min_channels) {
  expect_shape(s.size() == 3 && s[0] == num_frames && s[1] == kNumJoints && s[2] >= min_channels, s, where,
               "(" + std::to_string(num_frames) + ", 17, >=" + std::to_string(min_channels) + ")");
}

void check_joint_scalars_shape(const Shape& s, int64_t num_frames, const std::string& where) {
  const std::string n = std::to_string(num_frames);
  expect_shape((s.size() == 2 || (s.size() == 3 && s[2] == 1)) && s[0] == num_frames && s[1] == kNumJoints, s, where,
               "(" + n + ", 17) or (" + n + ", 17, 1)");
}

void check_frame_scalars_shape(const Shape& s, int64_t num_frames, const std::string& where) {
  const std::string n = std::to_string(num_frames);
  expect_shape((s.size() == 1 || (s.size() == 2 && s[1] == 1)) && s[0] == num_frames, s, where,
               "(" + n + ",) or (" + n + ", 1)");
}

void check_array_values(const std::string& where, const std::string& key, const Shape& shape,
                        std::string_view float32s) {
  const size_t per_row = shape.empty() || shape[0] == 0 ? 1 : static_cast<size_t>(numel(shape) / shape[0]);
  const std::string what = where + "'" + key + "' (shape " + to_string(shape) + ")";
  io::check_finite(what, float32s, per_row, "frame");
  if (key != "2.5d_factor") return;
  for (size_t i = 0; i < float32s.size() / sizeof(float); ++i) {
    float v;
    std::memcpy(&v, float32s.data() + i * sizeof v, sizeof v);
    if (!(v > 0))
      throw io::FormatError(what + " holds " + std::to_string(v) + " at frame " + std::to_string(i / per_row) +
                            ": 2.5D factors must be positive");
  }
}

const FloatArray& joint_array(const SplitData& split, const std::string& split_name, const std::string& key,
                              int64_t min_channels) {
  return checked_array(split, split_name, key, [&](const Shape& s, int64_t n, const std::string& where) {
    check_joint_array_shape(s, n, where, min_channels);
  });
}

const std::vector<float>& joint_scalars(const SplitData& split, const std::string& split_name, const std::string& key) {
  return checked_array(split, split_name, key, check_joint_scalars_shape).values;
}

const std::vector<float>& frame_scalars(const SplitData& split, const std::string& split_name, const std::string& key) {
  return checked_array(split, split_name, key, check_frame_scalars_shape).values;
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
