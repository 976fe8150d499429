// Model weight files: one float32 dataset per state-dict entry under `weights/`, the key order in
// `state_dict_keys`, and the model hyperparameters as root attributes (docs/formats.md).
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <hdf5.h>

#include "framework/io/attr_value.h"
#include "framework/shape.h"

namespace kasf::io {

struct HostArray {
  Shape shape;
  std::vector<float> values;
};

struct WeightFile {
  std::vector<std::pair<std::string, HostArray>> weights;  // state-dict order
  std::map<std::string, AttrValue> attributes;             // model hyperparameters (root attributes)

  const HostArray* find(const std::string& key) const;
};

// Key order from `state_dict_keys` when present, else sorted by name. Throws FormatError naming the
// tensor and element when a weight is NaN or infinite.
WeightFile read_weight_file(const std::string& path);
// Atomic: written to a temporary file next to `path`, flushed, then renamed over it.
void write_weight_file(const std::string& path, const WeightFile& file);
// The same layout written into an open, new HDF5 file that holds more (training checkpoints), so
// that read_weight_file reads such files too.
void write_weight_layout(hid_t file, const WeightFile& weights);

}  // namespace kasf::io
