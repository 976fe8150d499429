// Reads the reference values scripts/make_test_pickles.py writes next to the test pickles: raw
// float32 arrays (<split>.<key>.f32 with <split>.<key>.shape) and per-row strings (<split>.<key>.txt).
#pragma once
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "datasets/dataset_file.h"
#include "test_files.h"

namespace kasf::test {

inline std::vector<float> read_f32(const std::string& path) {
  std::string bytes = read_file(path);
  std::vector<float> out(bytes.size() / 4);
  std::memcpy(out.data(), bytes.data(), out.size() * 4);
  return out;
}

inline std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

inline Shape read_shape(const std::string& path) {
  std::istringstream in(read_file(path));
  Shape shape;
  for (int64_t d; in >> d;) shape.push_back(d);
  return shape;
}

// Checks `data` against every reference file in `folder`; with `exact_keys`, the splits hold no
// other keys either.
inline void check_dataset_against_reference(const data::DatasetData& data, const std::string& folder,
                                            bool exact_keys) {
  std::map<std::string, std::set<std::string>> expected_keys;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    std::string name = entry.path().filename().string();
    std::string ext = entry.path().extension().string();
    if (ext == ".shape") continue;
    std::string stem = entry.path().stem().string();
    std::string split = stem.substr(0, stem.find('.'));
    std::string key = stem.substr(stem.find('.') + 1);
    expected_keys[split].insert(key);
    BOOST_TEST_CONTEXT(folder << ": " << split << " / " << key) {
      BOOST_REQUIRE(data.splits.count(split));
      const data::SplitData& s = data.splits.at(split);
      if (ext == ".f32") {
        BOOST_REQUIRE(s.arrays.count(key));
        const data::FloatArray& a = s.arrays.at(key);
        BOOST_TEST(a.shape == read_shape(folder + "/" + split + "." + key + ".shape"));
        std::vector<float> expected = read_f32(entry.path().string());
        BOOST_REQUIRE_EQUAL(a.values.size(), expected.size());
        BOOST_TEST(std::memcmp(a.values.data(), expected.data(), expected.size() * 4) == 0);
        BOOST_TEST(a.shape.at(0) == s.num_frames);
      } else {
        BOOST_REQUIRE(s.strings.count(key));
        const data::StringColumn& c = s.strings.at(key);
        std::vector<std::string> expected = read_lines(entry.path().string());
        BOOST_REQUIRE_EQUAL(c.index.size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i) BOOST_TEST(c.table.at(c.index[i]) == expected[i]);
        // Compact: one table entry per distinct value.
        BOOST_TEST(c.table.size() == std::set<std::string>(expected.begin(), expected.end()).size());
      }
    }
  }
  if (!exact_keys) return;
  for (const auto& [split, keys] : expected_keys) {
    std::set<std::string> actual;
    for (const auto& [key, unused] : data.splits.at(split).arrays) actual.insert(key);
    for (const auto& [key, unused] : data.splits.at(split).strings) actual.insert(key);
    BOOST_TEST(actual == keys, boost::test_tools::per_element());
  }
}

}  // namespace kasf::test
