#include "datasets/dataset_file.h"

#include <stdexcept>

#include "datasets/split_fields.h"
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
      check_array_values(h5::describe(group.id()) + ": ", key, array.shape,
                         {reinterpret_cast<const char*>(array.values.data()), array.values.size() * sizeof(float)});
      split.arrays.emplace(key, std::move(array));
    }
  }
  return split;
}

}  // namespace

struct DatasetFileWriter::State {
  // A dataset file is made again from its inputs, so a crash may lose it: no fsync (docs/formats.md).
  explicit State(const std::string& path)
      : output(path, io::AtomicFile::Durability::RenameOnly), file(h5::create_file(output.temp_path())) {}

  // The open split, after checking that `key` is a new column of it with num_frames rows.
  hid_t column_group(const std::string& key, int64_t rows) {
    if (group.id() < 0) throw std::logic_error("DatasetFileWriter: column '" + key + "' written before begin_split");
    check_name(split, key);
    if (h5::exists(group.id(), key)) throw FormatError("split '" + split + "': '" + key + "' is written twice");
    check_rows(split, key, rows, num_frames);
    return group.id();
  }

  io::AtomicFile output;
  h5::Handle file;  // members are destroyed in reverse order: closed before `output` removes the file
  h5::Handle group;
  std::string split;
  int64_t num_frames = 0;
  std::map<std::string, SplitSize> splits;
};

DatasetFileWriter::DatasetFileWriter(const std::string& path) : state_(std::make_unique<State>(path)) {
  h5::write_attribute(state_->file.id(), "format", std::string(kFormat));
  h5::write_attribute(state_->file.id(), "format_version", kFormatVersion);
}

DatasetFileWriter::~DatasetFileWriter() = default;

void DatasetFileWriter::begin_split(const std::string& name, int64_t num_frames, int64_t clip_length) {
  check_name("/", name);
  if (!state_->splits.emplace(name, SplitSize{num_frames, clip_length}).second)
    throw FormatError("split '" + name + "' is written twice");
  state_->group = h5::create_group(state_->file.id(), name);
  state_->split = name;
  state_->num_frames = num_frames;
  h5::write_attribute(state_->group.id(), "num_frames", num_frames);
  h5::write_attribute(state_->group.id(), "clip_length", clip_length);
}

void DatasetFileWriter::write_array(const std::string& key, const Shape& shape, const void* values) {
  if (shape.empty()) throw FormatError("split '" + state_->split + "': array '" + key + "' has no row axis");
  h5::write_floats(state_->column_group(key, shape[0]), key, shape, values);
}

void DatasetFileWriter::write_strings(const std::string& key, const StringColumn& column) {
  int64_t rows = static_cast<int64_t>(column.index.size());
  hid_t group = state_->column_group(key, rows);
  check_string_column("split '" + state_->split + "' strings '" + key + "'", column);
  h5::Handle strings = h5::create_group(group, key);
  h5::write_strings(strings.id(), "table", column.table);
  h5::write_int32s(strings.id(), "index", {rows}, column.index.data());
}

void DatasetFileWriter::commit() {
  state_->group.reset();
  state_->file.reset();
  state_->output.commit();
}

const std::map<std::string, SplitSize>& DatasetFileWriter::splits() const { return state_->splits; }

void write_dataset_file(const std::string& path, const DatasetData& data) {
  DatasetFileWriter output(path);
  for (const auto& [name, split] : data.splits) {
    output.begin_split(name, split.num_frames, split.clip_length);
    for (const auto& [key, array] : split.arrays) {
      if (static_cast<size_t>(numel(array.shape)) != array.values.size())
        throw FormatError("split '" + name + "': array '" + key + "' has shape " + to_string(array.shape) + " and " +
                          std::to_string(array.values.size()) + " values");
      output.write_array(key, array.shape, array.values.data());
    }
    for (const auto& [key, column] : split.strings) output.write_strings(key, column);
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
