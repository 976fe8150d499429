// Dataset files: the per-frame arrays and strings of a pose data set, per split, in one HDF5 file
// written by kasf_convert (layout in docs/formats.md).
#pragma once
#include <cstdint>
#include <map>
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

// Atomic (temporary file, then rename) and deterministic: equal data gives identical bytes.
void write_dataset_file(const std::string& path, const DatasetData& data);
DatasetData read_dataset_file(const std::string& path);

}  // namespace kasf::data
