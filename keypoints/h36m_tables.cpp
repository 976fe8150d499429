#include "keypoints/h36m_tables.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "framework/io/error.h"
#include "framework/io/hdf5.h"

namespace kasf::keypoints {
namespace {

[[noreturn]] void fail(const std::string& where, const std::string& what) { throw io::FormatError(where + ": " + what); }

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, ',')) {
    const size_t first = field.find_first_not_of(" \t\r");
    const size_t last = field.find_last_not_of(" \t\r");
    fields.push_back(first == std::string::npos ? "" : field.substr(first, last - first + 1));
  }
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

// Parses a numeric field; empty and "nan" give NaN. Returns false for anything else.
bool parse_number(const std::string& field, float& value) {
  if (field.empty() || field == "nan" || field == "NaN" || field == "NAN") {
    value = std::numeric_limits<float>::quiet_NaN();
    return true;
  }
  try {
    size_t used = 0;
    value = std::stof(field, &used);
    return used == field.size();
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

KeypointSequence read_h36m_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail(path, "cannot open the file");
  std::vector<float> values;
  int64_t frames = 0, columns = 0, row = 0;
  std::string line;
  while (std::getline(in, line)) {
    ++row;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::vector<std::string> fields = split_fields(line);
    std::vector<float> numbers(fields.size());
    bool numeric = true;
    for (size_t i = 0; i < fields.size() && numeric; ++i) numeric = parse_number(fields[i], numbers[i]);
    if (!numeric) {
      if (frames == 0 && columns == 0) {  // the header row
        columns = -1;
        continue;
      }
      fail(path + ": row " + std::to_string(row), "non-numeric field");
    }
    if (numbers.size() != kKeypoints * 2 && numbers.size() != kKeypoints * 3)
      fail(path + ": row " + std::to_string(row),
           std::to_string(numbers.size()) + " columns, expected 34 (x, y) or 51 (x, y, confidence) for 17 H36M joints");
    if (frames > 0 && static_cast<int64_t>(numbers.size()) != columns)
      fail(path + ": row " + std::to_string(row), std::to_string(numbers.size()) + " columns where earlier rows have " +
                                                      std::to_string(columns));
    columns = static_cast<int64_t>(numbers.size());
    values.insert(values.end(), numbers.begin(), numbers.end());
    ++frames;
  }
  if (frames == 0) fail(path, "no rows of keypoints (empty file)");
  return from_array(values, {frames, kKeypoints, columns / kKeypoints}, path);
}

KeypointSequence read_h36m_h5(const std::string& path) {
  io::h5::Handle file = io::h5::open_file(path);
  if (!io::h5::exists(file.id(), kKeypointsDataset))
    fail(path, std::string("no dataset '/") + kKeypointsDataset + "' (frames, 17, 2 or 3)");
  Shape shape;
  std::vector<float> values = io::h5::read_floats(file.id(), kKeypointsDataset, &shape);
  return from_array(values, shape, path + ":/" + kKeypointsDataset);
}

}  // namespace kasf::keypoints
