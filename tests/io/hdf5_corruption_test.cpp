// Corrupt HDF5 files are refused with a FormatError naming the file and object (issue 15):
// variable-length strings whose global heap object was corrupted (libhdf5 1.10.8 crashed in
// H5HG_read), for attributes and datasets, while intact ones, kasf's own and h5py's, still read;
// a local heap whose free list is a cycle (found by fuzz/hdf5_fuzzer.cpp: libhdf5 allocated 20 GB);
// and datasets that claim more elements than the file stores (found by the fuzzer too: 8 GB).
#define BOOST_TEST_MODULE hdf5_corruption
#include <boost/test/unit_test.hpp>

#include "framework/io/error.h"
#include "framework/io/hdf5.h"
#include "framework/io/weight_file.h"
#include "test_files.h"
#include "tests/support/corrupt_hdf5.h"

using namespace kasf;
using namespace kasf::io;
using kasf::test::ScratchDir;

namespace {

// A weight file with a string attribute and the key-order string dataset.
std::string write_sample(const ScratchDir& dir) {
  WeightFile weights;
  weights.weights.push_back({"layer.weight", HostArray{{2}, {1.0f, 2.0f}}});
  weights.weights.push_back({"layer.bias", HostArray{{1}, {3.0f}}});
  weights.attributes["format"] = std::string("kasf-weights-test");
  const std::string path = dir.file("weights.h5");
  write_weight_file(path, weights);
  return path;
}

// `read` fails with a message containing every one of `parts`.
template <typename Read>
void expect_refused(Read read, std::initializer_list<std::string> parts) {
  try {
    read();
    BOOST_ERROR("no error");
  } catch (const FormatError& e) {
    const std::string message = e.what();
    for (const auto& part : parts) BOOST_TEST(message.find(part) != std::string::npos, "'" << part << "' not in: " << message);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(intact_strings_read) {
  ScratchDir dir;
  const WeightFile read = read_weight_file(write_sample(dir));
  BOOST_TEST(std::get<std::string>(read.attributes.at("format")) == "kasf-weights-test");
  BOOST_TEST(read.weights.at(1).first == "layer.bias");
}

BOOST_AUTO_TEST_CASE(h5py_written_strings_read) {
  // tests/data/fixtures/fixture_small.h5 was written by h5py (scripts/make_fixture_references.py).
  const WeightFile read = read_weight_file(kasf::test::test_data("fixtures/fixture_small.h5"));
  BOOST_TEST(!read.weights.empty());
}

// The attribute's string alone, so that the dataset's strings (same heap collection) are not read.
AttrValue read_format(const std::string& path) {
  h5::Handle file = h5::open_file(path);
  return h5::read_attribute(file.id(), "format");
}

BOOST_AUTO_TEST_CASE(attribute_with_heap_object_past_its_collection) {
  for (const uint64_t size : {uint64_t{1} << 40, uint64_t{5000}, uint64_t{3}}) {
    ScratchDir dir;
    const std::string path = write_sample(dir);
    kasf::test::corrupt_heap_string(path, "kasf-weights-test", size);
    expect_refused([&] { read_format(path); }, {path, "@format", "global heap collection", "corrupt"});
    // The whole reader stops at the first string it reads, naming it.
    expect_refused([&] { read_weight_file(path); }, {path, "state_dict_keys", "corrupt"});
  }
}

BOOST_AUTO_TEST_CASE(attribute_whose_heap_object_is_longer_than_the_string) {
  ScratchDir dir;
  const std::string path = write_sample(dir);
  kasf::test::corrupt_heap_string(path, "kasf-weights-test", 20);  // same 8-byte padding: the heap parses
  expect_refused([&] { read_format(path); }, {path, "@format", "17 bytes long", "holds 20 bytes"});
}

BOOST_AUTO_TEST_CASE(dataset_with_corrupt_heap_object) {
  ScratchDir dir;
  const std::string path = write_sample(dir);
  kasf::test::corrupt_heap_string(path, "layer.bias", uint64_t{1} << 33);
  expect_refused([&] { read_weight_file(path); }, {path, "state_dict_keys", "global heap"});
}

BOOST_AUTO_TEST_CASE(local_heap_with_a_cyclic_free_list) {
  ScratchDir dir;
  const std::string path = write_sample(dir);
  kasf::test::corrupt_local_heap_free_list(path);
  expect_refused([&] { read_weight_file(path); }, {path, "local heap", "does not end"});
}

BOOST_AUTO_TEST_CASE(dataset_larger_than_its_stored_data) {
  ScratchDir dir;
  const std::string path = dir.file("huge.h5");
  {
    h5::Handle file = h5::create_file(path);
    h5::Handle weights = h5::create_group(file.id(), "weights");
    // 2^31 floats declared, nothing written: HDF5 allocates no storage for them.
    const hsize_t dims[1] = {hsize_t{1} << 31};
    h5::Handle space(H5Screate_simple(1, dims, nullptr));
    h5::Handle dataset(H5Dcreate2(weights.id(), "w", H5T_IEEE_F32LE, space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    BOOST_TEST_REQUIRE(dataset.id() >= 0);
  }
  expect_refused([&] { read_weight_file(path); }, {path, "/weights/w", "8589934592 bytes", "only 0 bytes are stored"});
}
