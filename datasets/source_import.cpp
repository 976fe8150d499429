#include "datasets/source_import.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <set>
#include <unordered_map>

#include "datasets/clip_ground_truth.h"
#include "datasets/pose_layout.h"
#include "datasets/split_fields.h"
#include "framework/io/error.h"
#include "framework/io/numpy_array.h"
#include "framework/io/pickle.h"

namespace kasf::data {
namespace {

using io::FormatError;
using io::PyKind;
using io::PyValue;

// Per-frame values that are labels, stored as strings even when a data set uses ints (AP3D videoid).
bool is_string_key(const std::string& key) {
  return key == "source" || key == "action" || key == "camera_name" || key == "data_action" || key == "data_env";
}

// Collects per-row strings into a StringColumn (table in order of first appearance).
std::string label_text(const PyValue& v) {
  if (v.kind == PyKind::Str) return std::string(v.text);
  if (v.kind == PyKind::Int) return std::to_string(v.integer);
  throw FormatError("expected a str or int label, found " + v.describe());
}

class StringColumnBuilder {
 public:
  void add(std::string value) {
    last_value_ = nullptr;
    auto [it, inserted] = positions_.emplace(std::move(value), static_cast<int32_t>(column_.table.size()));
    if (inserted) column_.table.push_back(it->first);
    column_.index.push_back(it->second);
  }
  // Pickled label lists repeat one str object per video (the memo), so a run of the same object
  // skips the lookup.
  void add(const PyValue& value) {
    if (&value == last_value_) {
      column_.index.push_back(column_.index.back());
      return;
    }
    add(label_text(value));
    last_value_ = &value;
  }
  StringColumn take() { return std::move(column_); }

 private:
  StringColumn column_;
  std::unordered_map<std::string, int32_t> positions_;
  const PyValue* last_value_ = nullptr;
};

// A per-frame numeric column on its way to the file: built in memory (stacked lists), or a numeric
// numpy array left in the mapped pickle until its turn to be written, so that at most one converted
// array is held at a time.
struct ImportedArray {
  Shape shape;
  std::vector<float> values;           // built in memory, or
  const io::NdArray* numpy = nullptr;  // an array in `input`; its pages are dropped once written
  const io::PickleDocument* input = nullptr;
};

struct ImportedSplit {
  int64_t clip_length = 0;  // as in SplitData
  std::map<std::string, ImportedArray> arrays;
  std::map<std::string, StringColumn> strings;
};

bool is_label(const PyValue& v) { return v.kind == PyKind::Str || v.kind == PyKind::Int; }
bool is_number(const PyValue& v) { return v.kind == PyKind::Int || v.kind == PyKind::Bool || v.kind == PyKind::Float; }
bool is_numeric_array(const PyValue& v) { return v.kind == PyKind::Array && io::is_numeric(v.array->dtype.type); }

// Labels held in a numpy array of str (unicode, bytes or objects), one per row.
std::vector<std::string> array_labels(const io::NdArray& array) {
  if (array.shape.size() != 1) throw FormatError("a string array must be 1-D, found shape " + to_string(array.shape));
  if (array.dtype.type != io::ElementType::Object) return array.strings;
  std::vector<std::string> out;
  for (const PyValue* item : array.objects) out.push_back(label_text(*item));
  return out;
}

// Stacks equally shaped numeric values (numbers or arrays) into one array with a leading row axis.
class ArrayStacker {
 public:
  void add(const PyValue& v) {
    Shape shape;
    if (is_number(v)) {
      values_.push_back(v.as_number());
    } else {
      const io::NdArray& a = v.as_array();
      shape = a.shape;
      auto values = io::to_float64(a);
      values_.insert(values_.end(), values.begin(), values.end());
    }
    if (rows_ == 0) row_shape_ = shape;
    if (shape != row_shape_)
      throw FormatError("row " + std::to_string(rows_) + " has shape " + to_string(shape) + ", earlier rows " +
                        to_string(row_shape_));
    ++rows_;
  }
  const std::vector<double>& values() const { return values_; }
  Shape shape() const {
    Shape s{rows_};
    s.insert(s.end(), row_shape_.begin(), row_shape_.end());
    return s;
  }
  ImportedArray take() const { return {shape(), std::vector<float>(values_.begin(), values_.end())}; }

 private:
  std::vector<double> values_;
  Shape row_shape_;
  int64_t rows_ = 0;
};

// An empty Python list carries no row shape, but the readers check the shapes of a 0-frame split's
// arrays too: the shape of an empty `key`.
Shape empty_list_shape(const std::string& key) {
  if (key == "joint_2d") return {0, kNumJoints, 2};
  if (key == "joint3d_image" || key == "joints_2.5d_image") return {0, kNumJoints, 3};
  if (key == "confidence") return {0, kNumJoints};
  return {0};
}

// One per-row value collection of a split: either numbers or labels.
void add_stacked_value(ImportedSplit& split, const std::string& key, const PyValue& value,
                       const io::PickleDocument& doc) {
  if (value.kind == PyKind::Array) {
    const io::NdArray& a = value.as_array();
    if (a.shape.empty()) throw FormatError("'" + key + "' is a numpy scalar, not per-frame values");
    if (io::is_numeric(a.dtype.type) && !is_string_key(key)) {
      split.arrays[key] = {a.shape, {}, &a, &doc};
    } else {
      StringColumnBuilder column;
      if (io::is_numeric(a.dtype.type))
        for (int64_t v : io::to_int64(a)) column.add(std::to_string(v));
      else
        for (auto& s : array_labels(a)) column.add(std::move(s));
      split.strings[key] = column.take();
    }
    return;
  }
  const auto& items = value.as_sequence();
  if (items.empty()) {  // a split of 0 frames
    if (is_string_key(key))
      split.strings[key] = StringColumn{};
    else
      split.arrays[key] = {empty_list_shape(key), {}};
    return;
  }
  if (std::all_of(items.begin(), items.end(), [&](const PyValue* v) {
        return v->kind == PyKind::Str || (is_string_key(key) && is_label(*v));
      })) {
    StringColumnBuilder column;
    for (const PyValue* v : items) column.add(*v);
    split.strings[key] = column.take();
    return;
  }
  ArrayStacker stack;
  for (const PyValue* v : items) {
    if (!is_number(*v) && !is_numeric_array(*v))
      throw FormatError("'" + key + "' holds " + v->describe() + ", not numbers, numeric arrays or strings");
    stack.add(*v);
  }
  split.arrays[key] = stack.take();
}

// The number of rows every array and string column must share; names the first disagreeing pair.
int64_t common_rows(const ImportedSplit& split) {
  std::string first_key;
  std::string first_shape;
  int64_t rows = -1;
  auto check = [&](const std::string& key, int64_t n, const std::string& shape) {
    if (rows < 0) {
      rows = n;
      first_key = key;
      first_shape = shape;
    } else if (n != rows) {
      throw FormatError("'" + key + "' has " + std::to_string(n) + " frames (shape " + shape + ") but '" + first_key +
                        "' has " + std::to_string(rows) + " (shape " + first_shape + ")");
    }
  };
  for (const auto& [key, a] : split.arrays) check(key, a.shape.at(0), to_string(a.shape));
  for (const auto& [key, s] : split.strings)
    check(key, static_cast<int64_t>(s.index.size()), "(" + std::to_string(s.index.size()) + ",)");
  if (rows < 0) throw FormatError("the split holds no per-frame values");
  return rows;
}

const Shape& array_shape(const ImportedSplit& split, const std::string& name, const std::string& key) {
  auto it = split.arrays.find(key);
  if (it == split.arrays.end()) throw FormatError(name + ": missing array '" + key + "'");
  return it->second.shape;
}

// The keys KASportsFormer's readers use, with their shapes (split_fields.h, which throws naming them).
void check_source_split(const ImportedSplit& split, int64_t frames, const std::string& name) {
  check_joint_array_shape(array_shape(split, name, "joint_2d"), frames, name + "/joint_2d", 2);
  check_joint_array_shape(array_shape(split, name, "joint3d_image"), frames, name + "/joint3d_image", 3);
  std::vector<std::string> labels{"source"};
  if (split.arrays.count("confidence"))
    check_joint_scalars_shape(split.arrays.at("confidence").shape, frames, name + "/confidence");
  if (name == "test") {
    check_joint_array_shape(array_shape(split, name, "joints_2.5d_image"), frames, name + "/joints_2.5d_image", 3);
    check_frame_scalars_shape(array_shape(split, name, "2.5d_factor"), frames, name + "/2.5d_factor");
    labels.push_back("action");
  }
  for (const auto& key : labels)
    if (!split.strings.count(key)) throw FormatError(name + ": missing string column '" + key + "'");
}

void check_clip_split(const ImportedSplit& split, const std::string& name) {
  for (const char* key : {"data_input", "data_label"}) {
    const Shape& s = array_shape(split, name, key);
    if (s.size() != 4 || s[1] != split.clip_length || s[2] != kNumJoints || s[3] != 3)
      throw FormatError(name + "/" + key + ": expected shape (clips, " + std::to_string(split.clip_length) +
                        ", 17, 3), got " + to_string(s));
  }
}

// Checks the split's keys and shapes before anything of it is converted; returns its row count.
int64_t validate_split(const ImportedSplit& split, const std::string& name) {
  int64_t rows = common_rows(split);
  if (split.clip_length > 0)
    check_clip_split(split, name);
  else
    check_source_split(split, rows, name);
  return rows;
}

// The values of `array` as float32 bytes: the pickle's own when its dtype is float32 (no copy), else
// converted into `converted`.
std::string_view float32_bytes(const ImportedArray& array, std::vector<float>& converted) {
  if (array.numpy && array.numpy->dtype.type == io::ElementType::Float32) return array.numpy->data;
  if (array.numpy) converted = io::to_float32(*array.numpy);
  const std::vector<float>& values = array.numpy ? converted : array.values;
  return {reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)};
}

// Converts, checks and writes the arrays one at a time, dropping each one's input pages after it.
void write_split(DatasetFileWriter& output, const std::string& name, const ImportedSplit& split, int64_t frames) {
  output.begin_split(name, frames, split.clip_length);
  for (const auto& [key, array] : split.arrays) {
    std::vector<float> converted;
    std::string_view values = float32_bytes(array, converted);
    check_array_values("", key, array.shape, values);
    output.write_array(key, array.shape, values.data());
    if (array.numpy) array.input->release(array.numpy->data);
  }
  for (const auto& [key, column] : split.strings) output.write_strings(key, column);
}

ImportedSplit from_source_dict(const PyValue& dict, const io::PickleDocument& doc) {
  ImportedSplit split;
  for (const auto& [k, v] : dict.as_dict()) {
    std::string key(k->as_str());
    try {
      add_stacked_value(split, key, *v, doc);
    } catch (const FormatError& e) {
      throw FormatError("key '" + key + "': " + e.what());
    }
  }
  return split;
}

// AthletePose3D's gendb frames carry their own keys; its datareader derives the MotionBERT ones.
void map_gendb_keys(ImportedSplit& split, std::map<std::string, ArrayStacker>& numeric,
                    std::map<std::string, StringColumnBuilder>& labels) {
  auto rename_labels = [&](const char* from, const char* to) {
    if (labels.count(from)) split.strings[to] = labels.extract(from).mapped().take();
  };
  auto rename_numbers = [&](const char* from, const char* to) {
    if (numeric.count(from)) split.arrays[to] = numeric.extract(from).mapped().take();
  };
  rename_labels("videoid", "source");
  rename_labels("cameraid", "camera_name");
  rename_numbers("video_width", "res_w");
  rename_numbers("video_height", "res_h");
  if (numeric.count("joint_3d_image")) {
    ArrayStacker image = numeric.extract("joint_3d_image").mapped();
    split.arrays["joint_2d"] = image.take();  // ground-truth projection as input; the reader uses [..., :2]
    split.arrays["joint3d_image"] = image.take();
    if (numeric.count("ratio")) {  // px per mm: 2.5D factor = 1/ratio, 2.5D joints = image / ratio
      ArrayStacker ratio = numeric.extract("ratio").mapped();
      if (ratio.shape().size() != 1) throw FormatError("'ratio' must be one number per frame");
      const auto& r = ratio.values();
      const auto& j = image.values();
      size_t per_frame = r.empty() ? 0 : j.size() / r.size();
      ImportedArray factor{ratio.shape(), {}}, scaled{image.shape(), {}};
      for (double v : r) factor.values.push_back(static_cast<float>(1.0 / v));
      for (size_t i = 0; i < j.size(); ++i) scaled.values.push_back(static_cast<float>(j[i] / r[i / per_frame]));
      split.arrays["2.5d_factor"] = std::move(factor);
      split.arrays["joints_2.5d_image"] = std::move(scaled);
    }
  }
}

ImportedSplit from_frame_list(const PyValue& list) {
  const auto& frames = list.as_sequence();
  if (frames.empty()) throw FormatError("the list of frames is empty");
  std::map<std::string, ArrayStacker> numeric;
  std::map<std::string, StringColumnBuilder> labels;
  std::vector<std::string> keys;
  // Numbers, numeric arrays and labels are carried over; other values (camera_param dicts) are not.
  for (const auto& [k, v] : frames[0]->as_dict()) {
    std::string key(k->as_str());
    if (is_label(*v) && (v->kind == PyKind::Str || is_string_key(key) || key == "videoid" || key == "cameraid"))
      labels[key];
    else if (is_number(*v) || is_numeric_array(*v))
      numeric[key];
    else
      continue;
    keys.push_back(key);
  }
  for (size_t i = 0; i < frames.size(); ++i) {
    for (const auto& key : keys) {
      const PyValue* v = frames[i]->find(key);
      if (!v) throw FormatError("frame " + std::to_string(i) + " lacks key '" + key + "'");
      try {
        if (auto it = labels.find(key); it != labels.end())
          it->second.add(*v);
        else
          numeric.at(key).add(*v);
      } catch (const FormatError& e) {
        throw FormatError("frame " + std::to_string(i) + " key '" + key + "': " + e.what());
      }
    }
  }
  ImportedSplit split;
  map_gendb_keys(split, numeric, labels);
  for (auto& [key, stack] : numeric) split.arrays[key] = stack.take();
  for (auto& [key, column] : labels) split.strings[key] = column.take();
  return split;
}

ImportedSplit from_pickle_split(const PyValue& root, const io::PickleDocument& doc) {
  return root.kind == PyKind::List ? from_frame_list(root) : from_source_dict(root, doc);
}

// A folder {split}/NNNNNNNN.pkl of clip dicts, files in name order as the official datasets list them.
ImportedSplit from_clip_folder(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(folder))
    if (e.path().extension() == ".pkl") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  if (files.empty()) throw FormatError("no .pkl clips in '" + folder.string() + "'");
  std::map<std::string, ArrayStacker> numeric;
  std::map<std::string, StringColumnBuilder> labels;
  for (const auto& file : files) {
    io::PickleDocument doc = io::load_pickle_file(file.string());
    const auto& entries = doc.root().as_dict();
    if (file == files.front()) {
      for (const auto& [k, v] : entries) {
        std::string key(k->as_str());
        if (is_label(*v) && (v->kind == PyKind::Str || is_string_key(key))) labels[key];
        else numeric[key];
      }
    }
    if (entries.size() != numeric.size() + labels.size())
      throw FormatError("'" + file.string() + "' has other keys than '" + files.front().string() + "'");
    for (const auto& [k, v] : entries) {
      std::string key(k->as_str());
      try {
        if (auto it = labels.find(key); it != labels.end())
          it->second.add(label_text(*v));  // by value: each clip's document reuses addresses
        else if (auto n = numeric.find(key); n != numeric.end())
          n->second.add(*v);
        else
          throw FormatError("unexpected key");
      } catch (const FormatError& e) {
        throw FormatError("'" + file.string() + "' key '" + std::string(k->text) + "': " + e.what());
      }
    }
  }
  ImportedSplit split;
  for (auto& [key, stack] : numeric) split.arrays[key] = stack.take();
  for (auto& [key, column] : labels) split.strings[key] = column.take();
  auto input = split.arrays.find("data_input");
  split.clip_length = input != split.arrays.end() && input->second.shape.size() > 1 ? input->second.shape[1] : 0;
  if (split.clip_length == 0) throw FormatError("clips in '" + folder.string() + "' have no data_input frames");
  return split;
}

// The split in memory, its numbers as float32 (a per-frame source of pre-cut test clips).
SplitData materialize(const ImportedSplit& split, int64_t rows) {
  SplitData out{rows, split.clip_length, {}, split.strings};
  for (const auto& [key, array] : split.arrays) {
    std::vector<float> converted;
    std::string_view bytes = float32_bytes(array, converted);
    std::vector<float> values(bytes.size() / sizeof(float));
    std::memcpy(values.data(), bytes.data(), bytes.size());
    out.arrays[key] = {array.shape, std::move(values)};
  }
  return out;
}

// Adds to pre-cut test clips the evaluation fields of their frames in the per-frame `source` pickle.
void attach_ground_truth(ImportedSplit& clips, const std::string& clips_name, const std::string& source) {
  if (clips.arrays.contains("data_label_scaled"))
    throw FormatError("the clips hold their ground truth already; do not give '" + source + "' for them too");
  ClipGroundTruth truth;
  try {
    io::PickleDocument doc = io::load_pickle_file(source);
    ImportedSplit frames = from_pickle_split(doc.root(), doc);
    const int64_t rows = validate_split(frames, "test");
    const ImportedArray& labels = clips.arrays.at("data_label");
    truth = clip_ground_truth({labels.shape, labels.values}, materialize(frames, rows), clips_name, source);
  } catch (const std::exception& e) {
    throw FormatError("ground truth of the clips from '" + source + "': " + e.what());
  }
  for (auto& [key, array] : truth.arrays) clips.arrays[key] = {array.shape, std::move(array.values)};
  for (auto& [key, column] : truth.strings) clips.strings[key] = std::move(column);
}

// Builds one split with `make`, validates it and writes it; every error names the input and the split.
void add_split(DatasetFileWriter& output, const std::string& name, const std::function<ImportedSplit()>& make,
               const std::string& origin) {
  try {
    ImportedSplit split = make();
    write_split(output, name, split, validate_split(split, name));
  } catch (const std::exception& e) {
    throw FormatError("'" + origin + "' split '" + name + "': " + e.what());
  }
}

// The splits a clip folder input provides.
std::vector<std::string> clip_folder_splits(const DatasetInput& input) {
  if (!input.split.empty()) return {input.split};
  std::vector<std::string> names;
  for (const char* split : {"train", "test"})
    if (std::filesystem::is_directory(std::filesystem::path(input.path) / split)) names.push_back(split);
  if (names.empty()) throw FormatError("'" + input.path + "' has neither train/ nor test/ clip folders");
  return names;
}

// `truth`: per split of a clip folder, the per-frame pickle whose frames its clips show.
void import_input(DatasetFileWriter& output, const DatasetInput& input,
                  const std::map<std::string, std::string>& truth) {
  namespace fs = std::filesystem;
  if (fs::is_directory(input.path)) {
    for (const auto& name : clip_folder_splits(input))
      add_split(output, name, [&] {
        const fs::path folder = fs::path(input.path) / name;
        ImportedSplit clips = from_clip_folder(folder);
        if (auto source = truth.find(name); source != truth.end())
          attach_ground_truth(clips, folder.string(), source->second);
        return clips;
      }, input.path);
    return;
  }
  io::PickleDocument doc = io::load_pickle_file(input.path);
  if (!input.split.empty()) {
    add_split(output, input.split, [&] { return from_pickle_split(doc.root(), doc); }, input.path);
    return;
  }
  if (!doc.root().is(PyKind::Dict))
    throw FormatError("'" + input.path + "' holds " + doc.root().describe() +
                      ", not a dict of splits; name the split of a single-split input (SPLIT=PATH)");
  if (doc.root().entries.empty()) throw FormatError("'" + input.path + "' is an empty dict: it holds no splits");
  for (const auto& [k, v] : doc.root().entries)
    add_split(output, std::string(k->as_str()), [&, v = v] { return from_pickle_split(*v, doc); }, input.path);
}

}  // namespace

std::map<std::string, SplitSize> convert_dataset(const std::vector<DatasetInput>& inputs, const std::string& path) {
  // A per-frame pickle named for a split that a clip folder provides too is that split's ground truth.
  std::set<std::string> clip_splits;
  for (const auto& input : inputs)
    if (std::filesystem::is_directory(input.path))
      for (const auto& name : clip_folder_splits(input)) clip_splits.insert(name);
  std::map<std::string, std::string> truth;
  std::vector<DatasetInput> split_inputs;
  for (const auto& input : inputs) {
    if (!input.split.empty() && clip_splits.contains(input.split) && !std::filesystem::is_directory(input.path))
      truth[input.split] = input.path;
    else
      split_inputs.push_back(input);
  }
  DatasetFileWriter output(path);
  for (const auto& input : split_inputs) import_input(output, input, truth);
  output.commit();
  return output.splits();
}

}  // namespace kasf::data
