#define BOOST_TEST_MODULE dataset_file
#include <boost/test/unit_test.hpp>

#include "datasets/dataset_file.h"
#include "framework/io/error.h"
#include "test_files.h"

using namespace kasf;
using namespace kasf::data;
using kasf::test::ScratchDir;

namespace {

DatasetData small_dataset() {
  DatasetData d;
  SplitData& train = d.splits["train"];
  train.num_frames = 3;
  train.arrays["joint_2d"] = {{3, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}};
  train.arrays["2.5d_factor"] = {{3}, {0.5f, 1.5f, 2}};
  train.strings["source"] = {{"clip a", "clip b"}, {0, 0, 1}};
  SplitData& test = d.splits["test"];
  test.num_frames = 2;
  test.clip_length = 27;
  test.arrays["data_input"] = {{2, 1}, {3, 4}};
  test.strings["data_action"] = {{"\u00fcber"}, {0, 0}};
  return d;
}

auto message_has(const std::string& part) {
  return [part](const io::FormatError& e) { return std::string(e.what()).find(part) != std::string::npos; };
}

}  // namespace

BOOST_AUTO_TEST_CASE(round_trips_arrays_strings_and_attributes) {
  ScratchDir dir;
  DatasetData d = small_dataset();
  write_dataset_file(dir.file("d.h5"), d);
  DatasetData back = read_dataset_file(dir.file("d.h5"));
  BOOST_REQUIRE_EQUAL(back.splits.size(), 2u);
  for (const auto& [name, split] : d.splits) {
    const SplitData& b = back.splits.at(name);
    BOOST_TEST(b.num_frames == split.num_frames);
    BOOST_TEST(b.clip_length == split.clip_length);
    BOOST_REQUIRE_EQUAL(b.arrays.size(), split.arrays.size());
    for (const auto& [key, a] : split.arrays) {
      BOOST_TEST(b.arrays.at(key).shape == a.shape);
      BOOST_TEST(b.arrays.at(key).values == a.values, boost::test_tools::per_element());
    }
    for (const auto& [key, s] : split.strings) {
      BOOST_TEST(b.strings.at(key).table == s.table, boost::test_tools::per_element());
      BOOST_TEST(b.strings.at(key).index == s.index, boost::test_tools::per_element());
    }
  }
}

BOOST_AUTO_TEST_CASE(equal_data_gives_identical_bytes) {
  ScratchDir dir;
  write_dataset_file(dir.file("a.h5"), small_dataset());
  write_dataset_file(dir.file("b.h5"), small_dataset());
  BOOST_TEST((kasf::test::read_file(dir.file("a.h5")) == kasf::test::read_file(dir.file("b.h5"))));
}

BOOST_AUTO_TEST_CASE(inconsistent_data_is_refused_and_nothing_written) {
  ScratchDir dir;
  DatasetData rows = small_dataset();
  rows.splits["train"].arrays["joint_2d"].shape = {2, 3, 2};
  BOOST_CHECK_EXCEPTION(write_dataset_file(dir.file("d.h5"), rows), io::FormatError,
                        message_has("'joint_2d' has 2 rows but num_frames is 3"));
  DatasetData index = small_dataset();
  index.splits["train"].strings["source"].index[2] = 5;
  BOOST_CHECK_EXCEPTION(write_dataset_file(dir.file("d.h5"), index), io::FormatError,
                        message_has("index 5 at row 2 is outside its table of 2 strings"));
  DatasetData name = small_dataset();
  name.splits["train"].arrays["a/b"] = {{3}, {1, 2, 3}};
  BOOST_CHECK_EXCEPTION(write_dataset_file(dir.file("d.h5"), name), io::FormatError,
                        message_has("key 'a/b' cannot be an HDF5 name"));
  BOOST_TEST(dir.entries().empty());
}

BOOST_AUTO_TEST_CASE(other_hdf5_files_are_not_datasets) {
  BOOST_CHECK_EXCEPTION(read_dataset_file(kasf::test::test_data("fixtures/fixture_small.h5")), io::FormatError,
                        message_has("is not a kasf dataset file"));
}
