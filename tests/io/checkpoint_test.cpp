#define BOOST_TEST_MODULE torch_checkpoint
#include <boost/test/unit_test.hpp>

#include <sys/resource.h>

#include <cstring>
#include <fstream>

#include "framework/io/error.h"
#include "framework/io/torch_checkpoint.h"
#include "framework/io/weight_file.h"
#include "framework/io/zip.h"
#include "reference_data.h"

using namespace kasf;
using namespace kasf::io;
using kasf::test::ScratchDir;
using kasf::test::test_data;

namespace {

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * 4) == 0;
}

void check_equals_fixture(const std::string& fixture) {
  auto state = read_torch_state_dict(test_data("fixtures/" + fixture + ".pth"));
  WeightFile expected = read_weight_file(test_data("fixtures/" + fixture + ".h5"));
  BOOST_REQUIRE_EQUAL(state.size(), expected.weights.size());
  for (size_t i = 0; i < state.size(); ++i) {
    BOOST_TEST_CONTEXT(fixture << " " << expected.weights[i].first) {
      BOOST_TEST(state[i].first == expected.weights[i].first);
      BOOST_TEST(state[i].second.shape == expected.weights[i].second.shape);
      BOOST_TEST(same_bits(state[i].second.values, expected.weights[i].second.values));
    }
  }
}

// tests/data/pickles/nested_checkpoint.reference: keys.txt ("name dims...") and name.f32.
void check_nested_checkpoint(const std::string& file) {
  auto state = read_torch_state_dict(test_data("pickles/" + file));
  std::string folder = test_data("pickles/nested_checkpoint.reference/");
  auto lines = kasf::test::read_lines(folder + "keys.txt");
  BOOST_REQUIRE_EQUAL(state.size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    std::istringstream fields(lines[i]);
    std::string name;
    fields >> name;
    Shape shape;
    for (int64_t d; fields >> d;) shape.push_back(d);
    BOOST_TEST_CONTEXT(file << " " << name) {
      BOOST_TEST(state[i].first == name);  // "module." removed
      BOOST_TEST(state[i].second.shape == shape);
      BOOST_TEST(same_bits(state[i].second.values, kasf::test::read_f32(folder + name + ".f32")));
    }
  }
}

auto message_has(const std::string& part) {
  return [part](const std::exception& e) { return std::string(e.what()).find(part) != std::string::npos; };
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

BOOST_AUTO_TEST_CASE(state_dict_equals_fixture_weights_bit_for_bit) {
  check_equals_fixture("fixture_small");
  check_equals_fixture("fixture_small_perturbed");
}

BOOST_AUTO_TEST_CASE(rebuilds_strided_tensors_of_every_storage_type) {
  // float64 transposed view, float16, offset + stride slice, 0-d int64, bool, int32.
  check_nested_checkpoint("nested_checkpoint.pth");
}

BOOST_AUTO_TEST_CASE(reads_deflated_archives) { check_nested_checkpoint("nested_checkpoint_deflated.pth"); }

BOOST_AUTO_TEST_CASE(state_dict_key_is_chosen_or_explained) {
  const std::string path = test_data("pickles/nested_checkpoint.pth");
  BOOST_TEST(read_torch_state_dict(path, "model").size() == 7u);
  BOOST_CHECK_EXCEPTION(read_torch_state_dict(path, "optimizer"), FormatError,
                        message_has("entry 'optimizer' is not a dict of tensors"));
  BOOST_CHECK_EXCEPTION(read_torch_state_dict(path, "nope"), FormatError, message_has("no top-level entry 'nope'"));
}

BOOST_AUTO_TEST_CASE(corrupt_archives_are_rejected) {
  ScratchDir dir;
  std::string bytes = kasf::test::read_file(test_data("fixtures/fixture_small.pth"));
  write_file(dir.file("truncated.pth"), bytes.substr(0, bytes.size() / 2));
  BOOST_CHECK_EXCEPTION(read_torch_state_dict(dir.file("truncated.pth")), FormatError,
                        message_has("no end-of-central-directory record"));
  // Flip one byte of the first storage (data/0 follows data.pkl; its bytes are in the middle).
  std::string flipped = bytes;
  size_t storage = flipped.find("FIXTURE_SMALL/data/0") + 100;
  flipped[storage] ^= 0x40;
  write_file(dir.file("flipped.pth"), flipped);
  BOOST_CHECK_EXCEPTION(read_torch_state_dict(dir.file("flipped.pth")), FormatError, message_has("CRC-32"));
  // Point the central directory outside the file.
  std::string moved = bytes;
  size_t end = moved.rfind("PK\x05\x06");
  moved[end + 19] = '\x7f';
  write_file(dir.file("moved.pth"), moved);
  BOOST_CHECK_EXCEPTION(read_torch_state_dict(dir.file("moved.pth")), FormatError,
                        message_has("central directory at byte"));
  BOOST_CHECK_EXCEPTION(read_torch_state_dict(test_data("pickles/kinds_p4.pkl")), FormatError,
                        message_has("no end-of-central-directory record"));
}

namespace {

void put_le(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>(value >> (8 * i));
}

// A zip archive of one deflated entry "big" that declares `declared` bytes; its data is a deflate
// stream of one stored block of 1024 zero bytes, padded with zeros to `compressed` bytes.
std::string zip_with_one_deflated_entry(uint64_t declared, uint64_t compressed) {
  std::string data = {'\x01', '\x00', '\x04', '\xff', '\xfb'};  // final stored block, LEN 1024, ~LEN
  data.resize(compressed, '\0');
  const std::string name = "big";
  std::string zip;
  put_le(zip, 0x04034b50, 4);  // local file header
  put_le(zip, 20, 2), put_le(zip, 0, 2), put_le(zip, 8, 2), put_le(zip, 0, 4), put_le(zip, 0, 4);
  put_le(zip, compressed, 4), put_le(zip, declared, 4), put_le(zip, name.size(), 2), put_le(zip, 0, 2);
  zip += name + data;
  const uint64_t directory = zip.size();
  put_le(zip, 0x02014b50, 4);  // central directory header
  put_le(zip, 20, 2), put_le(zip, 20, 2), put_le(zip, 0, 2), put_le(zip, 8, 2), put_le(zip, 0, 4), put_le(zip, 0, 4);
  put_le(zip, compressed, 4), put_le(zip, declared, 4), put_le(zip, name.size(), 2), put_le(zip, 0, 2);
  put_le(zip, 0, 2), put_le(zip, 0, 2), put_le(zip, 0, 2), put_le(zip, 0, 4), put_le(zip, 0, 4);
  zip += name;
  const uint64_t directory_size = zip.size() - directory;
  put_le(zip, 0x06054b50, 4);  // end of central directory
  put_le(zip, 0, 2), put_le(zip, 0, 2), put_le(zip, 1, 2), put_le(zip, 1, 2);
  put_le(zip, directory_size, 4), put_le(zip, directory, 4), put_le(zip, 0, 2);
  return zip;
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(inflating_takes_memory_as_bytes_come_out_not_as_declared) {
  // 200 MB declared from 200 KB (within the 1032:1 deflate bound), but the stream ends after 1 KB.
  const std::string archive = zip_with_one_deflated_entry(200u << 20, 200u << 10);
  const ZipArchive zip(archive, "bomb.zip");
  const double before = peak_rss_mb();
  std::string buffer;
  try {
    zip.read(zip.entries().at(0), buffer);
    BOOST_ERROR("no error");
  } catch (const FormatError& e) {
    BOOST_TEST(std::string(e.what()).find("does not inflate to its declared 209715200 bytes") != std::string::npos,
               e.what());
  }
  BOOST_TEST(peak_rss_mb() - before < 50, "peak resident memory grew by " << peak_rss_mb() - before << " MB");
}
