#include "datasets/dataset_file.h"

#include "framework/io/atomic_file.h"
#include "framework/io/error.h"
#include "framework/io/hdf5.h"

namespace kasf::data {
namespace h5 = kasf::io::h5;
using kasf::io::FormatError;

namespace {

const char* const kFormat = "kasf-dataset";
const int64_t kFormatVersion = 1;

void check_name(const std::string& split, const std::string& key) {
  if (key.empty() || key == "." || key.find('/') != std::string::npos)
    throw FormatError("split '" + split + "': key '" + key + "' cannot be an HDF5 name");
}

void check_rows(const std::string& split, const std::string& key, int64_t rows, int64_t num_frames) {
  if (rows != num_frames)
    throw FormatError("split '" + split + "': '" + key + "' has " + std::to_string(rows) + " rows but num_frames is " +
                      std::to_string(num_frames));
}

void check_string_column(const std::string& where, const StringColumn& column) {
  for (size_t i = 0; i < column.index.size(); ++i)
    if (column.index[i] < 0 || static_cast<size_t>(column.index[i]) >= column.table.size())
      throw FormatError(where + ": index " + std::to_string(column.index[i]) + " at row " + std::to_string(i) +
                        " is outside its table of " + std::to_string(column.table.size()) + " strings");
}

void write_split(hid_t file, const std::string& name, const SplitData& split) {
  h5::Handle group = h5::create_group(file, name);
  h5::write_attribute(group.id(), "num_frames", split.num_frames);
  h5::write_attribute(group.id(), "clip_length", split.clip_length);
  for (const auto& [key, array] : split.arrays) {
    check_name(name, key);
    if (array.shape.empty() || static_cast<size_t>(numel(array.shape)) != array.values.size())
      throw FormatError("split '" + name + "': array '" + key + "' has shape " + to_string(array.shape) + " and " +
                        std::to_string(array.values.size()) + " values");
    check_rows(name, key, array.shape[0], split.num_frames);
    h5::write_floats(group.id(), key, array.shape, array.values.data());
  }
  for (const auto& [key, column] : split.strings) {
    check_name(name, key);
    if (split.arrays.count(key)) throw FormatError("split '" + name + "': '" + key + "' is both an array and strings");
    check_rows(name, key, static_cast<int64_t>(column.index.size()), split.num_frames);
    check_string_column("split '" + name + "' strings '" + key + "'", column);
    h5::Handle strings = h5::create_group(group.id(), key);
    h5::write_strings(strings.id(), "table", column.table);
    h5::write_int32s(strings.id(), "index", {static_cast<int64_t>(column.index.size())}, column.index.data());
  }
}

int64_t int_attribute(hid_t object, const std::string& name) {
  auto value = h5::read_attribute(object, name);
  if (auto* i = std::get_if<int64_t>(&value)) return *i;
  h5::fail(object, "@" + name, "is not an integer");
}

SplitData read_split(hid_t file, const std::string& name) {
  h5::Handle group = h5::open_group(file, name);
  SplitData split;
  split.num_frames = int_attribute(group.id(), "num_frames");
  split.clip_length = int_attribute(group.id(), "clip_length");
  for (const auto& key : h5::member_names(group.id())) {
    if (h5::is_group(group.id(), key)) {
      h5::Handle strings = h5::open_group(group.id(), key);
      StringColumn column;
      column.table = h5::read_strings(strings.id(), "table");
      column.index = h5::read_int32s(strings.id(), "index", nullptr);
      check_rows(name, key, static_cast<int64_t>(column.index.size()), split.num_frames);
      check_string_column(h5::describe(strings.id()), column);
      split.strings.emplace(key, std::move(column));
    } else {
      FloatArray array;
      array.values = h5::read_floats(group.id(), key, &array.shape);
      if (array.shape.empty()) h5::fail(group.id(), key, "is a scalar, not a per-frame array");
      check_rows(name, key, array.shape[0], split.num_frames);
      split.arrays.emplace(key, std::move(array));
    }
  }
  return split;
}

}  // namespace

void write_dataset_file(const std::string& path, const DatasetData& data) {
  io::AtomicFile output(path);
  {
    h5::Handle file = h5::create_file(output.temp_path());
    h5::write_attribute(file.id(), "format", std::string(kFormat));
    h5::write_attribute(file.id(), "format_version", kFormatVersion);
    for (const auto& [name, split] : data.splits) {
      check_name("/", name);
      write_split(file.id(), name, split);
    }
  }
  output.commit();
}

DatasetData read_dataset_file(const std::string& path) {
  h5::Handle file = h5::open_file(path);
  auto format = h5::read_attributes(file.id());
  auto it = format.find("format");
  if (it == format.end() || it->second != io::AttrValue(std::string(kFormat)))
    throw FormatError("'" + path + "' is not a kasf dataset file (root attribute format != '" + kFormat + "')");
  if (int_attribute(file.id(), "format_version") != kFormatVersion)
    throw FormatError("'" + path + "' has an unsupported dataset format_version");
  DatasetData data;
  for (const auto& name : h5::member_names(file.id())) data.splits.emplace(name, read_split(file.id(), name));
  return data;
}

}  // namespace kasf::data
