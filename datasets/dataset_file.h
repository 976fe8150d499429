// Dataset files: the per-frame arrays and strings of a pose data set, per split, in one HDF5 file
// written by kasf_convert (layout in docs/formats.md).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "framework/shape.h"

namespace kasf::data {

struct FloatArray {
  Shape shape;  // first dim = frames (clips in a clip file)
  std::vector<float> values;
};

// Per-frame strings stored compactly: distinct values in order of first appearance, and for every
// frame the index of its value.
struct StringColumn {
  std::vector<std::string> table;
  std::vector<int32_t> index;
};

struct SplitData {
  int64_t num_frames = 0;  // rows of every array and string column
  // 0 for per-frame source data; T for a file converted from clip pickles, where every row is one
  // clip of T frames (num_frames then counts clips).
  int64_t clip_length = 0;
  std::map<std::string, FloatArray> arrays;
  std::map<std::string, StringColumn> strings;
};

struct DatasetData {
  std::map<std::string, SplitData> splits;  // "train", "test"
};

// The row counts of a split (as in SplitData).
struct SplitSize {
  int64_t num_frames = 0;
  int64_t clip_length = 0;
};

// Writes a dataset file one split and one array at a time, so a converter never holds the whole data
// set in memory. Nothing appears at `path` before commit() (temporary file, then rename); a writer
// destroyed uncommitted removes its temporary file. Deterministic: equal calls give identical bytes.
class DatasetFileWriter {
 public:
  explicit DatasetFileWriter(const std::string& path);
  ~DatasetFileWriter();
  DatasetFileWriter(const DatasetFileWriter&) = delete;
  DatasetFileWriter& operator=(const DatasetFileWriter&) = delete;

  // Starts a split (ending the previous one); every column written next must have num_frames rows.
  void begin_split(const std::string& name, int64_t num_frames, int64_t clip_length);
  // numel(shape) host-order float32 values at any alignment (they may lie inside a mapped pickle).
  void write_array(const std::string& key, const Shape& shape, const void* values);
  void write_strings(const std::string& key, const StringColumn& column);
  void commit();
  const std::map<std::string, SplitSize>& splits() const;  // begun so far

 private:
  struct State;
  std::unique_ptr<State> state_;
};

void write_dataset_file(const std::string& path, const DatasetData& data);
DatasetData read_dataset_file(const std::string& path);

}  // namespace kasf::data
