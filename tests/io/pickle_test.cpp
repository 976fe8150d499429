#define BOOST_TEST_MODULE pickle
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <filesystem>

#include "framework/io/numpy_array.h"
#include "framework/io/pickle.h"
#include "test_files.h"

using namespace kasf;
using namespace kasf::io;
using kasf::test::test_data;

namespace {

const PyValue& at(const PyValue& dict, const std::string& key) {
  const PyValue* v = dict.find(key);
  BOOST_REQUIRE_MESSAGE(v, "missing key " << key);
  return *v;
}

std::vector<double> numbers(const PyValue& v) { return to_float64(v.as_array()); }

// Decoding `bytes` fails at byte `offset` with a message containing `part`.
void expect_error(const std::string& bytes, uint64_t offset, const std::string& part) {
  BOOST_TEST_CONTEXT("pickle bytes of length " << bytes.size() << ", expecting '" << part << "'") {
    try {
      parse_pickle(bytes, "test");
      BOOST_FAIL("no error");
    } catch (const PickleError& e) {
      BOOST_TEST(e.offset() == offset);
      BOOST_TEST(std::string(e.what()).find(part) != std::string::npos, e.what());
      BOOST_TEST(std::string(e.what()).find("at byte " + std::to_string(offset)) != std::string::npos);
    }
  }
}

// The literals of kinds() in scripts/make_test_pickles.py.
void check_kinds(const std::string& file) {
  PickleDocument doc = load_pickle_file(test_data("pickles/" + file));
  const PyValue& root = doc.root();
  BOOST_TEST(at(root, "none").is(PyKind::None));
  BOOST_TEST(at(root, "true").is(PyKind::Bool));
  BOOST_TEST(at(root, "true").as_int() == 1);
  BOOST_TEST(at(root, "false").as_int() == 0);
  BOOST_TEST(at(root, "small_int").as_int() == 7);
  BOOST_TEST(at(root, "neg_int").as_int() == -300);
  BOOST_TEST(at(root, "int32_max").as_int() == 2147483647);
  BOOST_TEST(at(root, "int64_min").as_int() == INT64_MIN);
  BOOST_TEST(at(root, "int64_max").as_int() == INT64_MAX);
  // 2**100 + 1: 13 bytes little-endian two's complement, low byte 1, byte 12 = 0x10.
  const PyValue& big = at(root, "big_int");
  BOOST_TEST(big.is(PyKind::BigInt));
  BOOST_REQUIRE_EQUAL(big.text.size(), 13u);
  BOOST_TEST(static_cast<unsigned char>(big.text[0]) == 1);
  BOOST_TEST(static_cast<unsigned char>(big.text[12]) == 0x10);
  const PyValue& neg_big = at(root, "neg_big_int");  // -(2**70): 9 bytes, top byte 0xC0
  BOOST_TEST(neg_big.is(PyKind::BigInt));
  BOOST_REQUIRE_EQUAL(neg_big.text.size(), 9u);
  BOOST_TEST(static_cast<unsigned char>(neg_big.text[8]) == 0xC0);
  BOOST_TEST(at(root, "float").as_number() == 1.5);
  BOOST_TEST(at(root, "tiny_float").as_number() == -2.25e-300);
  BOOST_TEST(at(root, "str").as_str() == "h\u00e9llo \u2603 \U0001F600");
  BOOST_TEST(at(root, "empty_str").as_str() == "");
  BOOST_TEST(at(root, "bytes").is(PyKind::Bytes));
  BOOST_TEST(at(root, "bytes").text == std::string_view("\x00\xff" "ab", 4));
  BOOST_TEST(at(root, "empty_bytes").text.empty());
  BOOST_TEST(at(root, "bytearray").text == "xyz");
  const auto& list = at(root, "list");
  BOOST_TEST(list.is(PyKind::List));
  BOOST_REQUIRE_EQUAL(list.items.size(), 3u);
  BOOST_TEST(list.items[0]->as_int() == 1);
  BOOST_TEST(list.items[1]->as_str() == "a");
  BOOST_TEST(list.items[2]->is(PyKind::None));
  const auto& tuple = at(root, "tuple");
  BOOST_TEST(tuple.is(PyKind::Tuple));
  BOOST_TEST(tuple.items[1]->as_number() == 2.5);
  const PyValue& inner = *at(root, "nested").find("a")->items.at(0);  // {'a': [{'b': (1,)}]}
  BOOST_TEST(at(inner, "b").items.at(0)->as_int() == 1);
  const auto& set = at(root, "set");
  BOOST_TEST(set.is(PyKind::Set));
  std::vector<int64_t> members;
  for (const PyValue* m : set.items) members.push_back(m->as_int());
  std::sort(members.begin(), members.end());
  BOOST_TEST(members == std::vector<int64_t>({1, 2, 3}));
  BOOST_TEST(at(root, "frozenset").items.at(0)->as_str() == "x");
  const auto& ordered = at(root, "ordered").as_dict();
  BOOST_REQUIRE_EQUAL(ordered.size(), 2u);
  BOOST_TEST(ordered[0].key->as_str() == "z");  // insertion order, not sorted
  BOOST_TEST(ordered[1].value->as_int() == 2);
  const auto& shared = at(root, "shared");
  BOOST_TEST(shared.items[0] == shared.items[1]);  // the memo gives the same object twice
  BOOST_TEST(at(root, "int_keys").as_dict()[1].key->as_int() == 2);
  BOOST_TEST(at(root, "int_keys").as_dict()[1].value->as_str() == "two");
  BOOST_TEST(at(root, "tuple_keys").as_dict()[0].key->items[1]->as_str() == "a");
  const auto& many = at(root, "many_keys").as_dict();
  BOOST_REQUIRE_EQUAL(many.size(), 40u);
  BOOST_TEST(at(at(root, "many_keys"), "k39").as_int() == 39);

  const NdArray& f64 = at(root, "f64").as_array();
  BOOST_TEST((f64.dtype.type == ElementType::Float64));
  BOOST_TEST(f64.shape == Shape({3, 4}));
  std::vector<double> expected_f64;
  for (int i = 0; i < 12; ++i) expected_f64.push_back(i * 0.5);
  BOOST_TEST(to_float64(f64) == expected_f64, boost::test_tools::per_element());
  BOOST_TEST(to_float32(at(root, "f32").as_array()) == std::vector<float>({-1, -0.5, 0, 0.5, 1}),
             boost::test_tools::per_element());
  BOOST_TEST(numbers(at(root, "f16")) == std::vector<double>({1.5, -2, 65504, std::ldexp(1.0, -24)}),
             boost::test_tools::per_element());
  BOOST_TEST(numbers(at(root, "be_f32")) == std::vector<double>({1.25, -3.5}), boost::test_tools::per_element());
  BOOST_TEST(to_int64(at(root, "be_i32").as_array()) == std::vector<int64_t>({1, -2, 70000}),
             boost::test_tools::per_element());
  BOOST_TEST(to_int64(at(root, "i8").as_array()) == std::vector<int64_t>({-128, 127}), boost::test_tools::per_element());
  BOOST_TEST(to_int64(at(root, "i16").as_array()) == std::vector<int64_t>({-32768, 5}), boost::test_tools::per_element());
  BOOST_TEST(to_int64(at(root, "i64").as_array()) == std::vector<int64_t>({-(int64_t{1} << 62), 3}),
             boost::test_tools::per_element());
  BOOST_TEST(to_int64(at(root, "u8").as_array()) == std::vector<int64_t>({0, 255}), boost::test_tools::per_element());
  BOOST_TEST(to_int64(at(root, "u16").as_array()) == std::vector<int64_t>({65535}), boost::test_tools::per_element());
  BOOST_TEST(to_int64(at(root, "u32").as_array()) == std::vector<int64_t>({4000000000}), boost::test_tools::per_element());
  BOOST_TEST(numbers(at(root, "u64")) == std::vector<double>({9223372036854775808.0}), boost::test_tools::per_element());
  BOOST_TEST((at(root, "u64").as_array().dtype.type == ElementType::UInt64));
  BOOST_TEST(to_int64(at(root, "bool_array").as_array()) == std::vector<int64_t>({1, 0, 1}),
             boost::test_tools::per_element());
  BOOST_TEST(at(root, "unicode").as_array().strings == std::vector<std::string>({"ab", "\u00fcn\u00ef", ""}),
             boost::test_tools::per_element());
  BOOST_TEST(at(root, "be_unicode").as_array().strings == std::vector<std::string>({"xy"}));
  BOOST_TEST(at(root, "bytes_array").as_array().strings == std::vector<std::string>({"ab", "c"}));
  const NdArray& objects = at(root, "object_str").as_array();
  BOOST_TEST((objects.dtype.type == ElementType::Object));
  BOOST_REQUIRE_EQUAL(objects.objects.size(), 2u);
  BOOST_TEST(objects.objects[1]->as_str() == "yy");
  const NdArray& fortran = at(root, "fortran").as_array();
  BOOST_TEST(fortran.shape == Shape({2, 3}));
  BOOST_TEST(to_int64(fortran) == std::vector<int64_t>({0, 1, 2, 3, 4, 5}), boost::test_tools::per_element());
  BOOST_TEST(at(root, "empty_array").as_array().shape == Shape({0, 17, 3}));
  BOOST_TEST(to_float32(at(root, "empty_array").as_array()).empty());
  const NdArray& scalar = at(root, "scalar_f32").as_array();
  BOOST_TEST(scalar.shape.empty());
  BOOST_TEST(to_float32(scalar) == std::vector<float>({2.5f}));
  BOOST_TEST(to_int64(at(root, "scalar_i64").as_array()) == std::vector<int64_t>({-3}));
  BOOST_TEST((at(root, "scalar_bool").as_array().dtype.type == ElementType::Bool));
}

}  // namespace

BOOST_AUTO_TEST_CASE(decodes_every_value_kind_protocol_2) { check_kinds("kinds_p2.pkl"); }
BOOST_AUTO_TEST_CASE(decodes_every_value_kind_protocol_4) { check_kinds("kinds_p4.pkl"); }
BOOST_AUTO_TEST_CASE(decodes_every_value_kind_protocol_5) { check_kinds("kinds_p5.pkl"); }

BOOST_AUTO_TEST_CASE(rejects_os_system_and_runs_nothing) {
  const std::string marker = "kasf_pickle_executed.marker";  // what the pickle's command would create
  std::filesystem::remove(marker);
  for (const char* file : {"os_system_p2.pkl", "os_system_p4.pkl"}) {
    BOOST_CHECK_EXCEPTION(load_pickle_file(test_data(std::string("pickles/") + file)), PickleError,
                          [](const PickleError& e) {
                            return std::string(e.what()).find("global 'posix.system' is not on the allow-list") !=
                                   std::string::npos;
                          });
  }
  BOOST_TEST(!std::filesystem::exists(marker));
}

BOOST_AUTO_TEST_CASE(truncated_files_fail_with_offset) {
  auto size = std::filesystem::file_size(test_data("pickles/truncated_last_byte.pkl"));
  try {
    load_pickle_file(test_data("pickles/truncated_last_byte.pkl"));
    BOOST_FAIL("no error");
  } catch (const PickleError& e) {
    BOOST_TEST(e.offset() == size);  // only STOP is missing
    BOOST_TEST(std::string(e.what()).find("input ends before STOP") != std::string::npos);
  }
  auto half = std::filesystem::file_size(test_data("pickles/truncated_half.pkl"));
  try {
    load_pickle_file(test_data("pickles/truncated_half.pkl"));
    BOOST_FAIL("no error");
  } catch (const PickleError& e) {
    BOOST_TEST(e.offset() <= half);
    BOOST_TEST(std::string(e.what()).find("truncated") != std::string::npos);
  }
  BOOST_CHECK_THROW(load_pickle_file(test_data("pickles/empty.pkl")), PickleError);
  BOOST_CHECK_THROW(load_pickle_file(test_data("pickles/no_such_file.pkl")), FormatError);
}

BOOST_AUTO_TEST_CASE(corrupt_input_fails_at_the_offending_opcode) {
  using namespace std::string_literals;
  expect_error("\x80\x04X\xff\xff\xff\x7f"s, 2, "truncated: str of 2147483647 bytes, only 0 left");
  expect_error("\x80\x04\x8e\xff\xff\xff\xff\xff\xff\xff\x7f"s, 2, "truncated: bytes of 9223372036854775807 bytes");
  expect_error("\x80\x04\x95\x00\x00\x00\x00\x01\x00\x00\x00N."s, 2, "truncated: frame of 4294967296 bytes");
  expect_error("\x80\x02N"s, 3, "input ends before STOP");
  expect_error("\x80\x09."s, 0, "unsupported pickle protocol 9");
  expect_error("\x80\x02\xff."s, 2, "unsupported opcode 0xff");
  expect_error("\x80\x02" "cos\nsystem\n."s, 2, "global 'os.system' is not on the allow-list");
  expect_error("\x80\x02" "cbuiltins\neval\n."s, 2, "global 'builtins.eval' is not on the allow-list");
  expect_error("\x80\x02" "cnumpy\nndarray\n)R."s, 18, "global 'numpy.ndarray' cannot be called");
  expect_error("\x80\x02h\x05."s, 2, "memo key 5 was never stored");
  expect_error("\x80\x02" "a."s, 2, "stack underflow");
  expect_error("\x80\x02]K\x01K\x02s."s, 7, "SETITEM on list at byte 2, expected dict");
  expect_error("\x80\x02}]K\x01s."s, 6, "unhashable list at byte 3");
  expect_error("\x80\x02X\x02\x00\x00\x00\xff\xfe."s, 2, "str is not valid UTF-8");
  expect_error("\x80\x05\x97."s, 2, "out-of-band buffer requested");
  expect_error("\x80\x02NQ."s, 3, "persistent id in a pickle that may not have any");
  expect_error("\x80\x02NN."s, 4, "STOP with 1 extra values");
  expect_error("\x80\x02" "1."s, 2, "no MARK");
  // A key nested 100 tuples deep.
  std::string deep = "\x80\x02}N"s + std::string(100, '\x85') + "N" "s.";
  expect_error(deep, deep.size() - 2, "nested too deeply");
  // numpy _frombuffer of 8 bytes declared as 3 float32.
  std::string frombuffer = "\x80\x04\x8c\x12numpy.core.numeric\x8c\x0b_frombuffer\x93(C\x08" + std::string(8, '\0') +
                           "\x8c\x05numpy\x8c\x05" "dtype\x93\x8c\x02" "f4\x85RK\x03\x85\x8c\x01" "CtR."s;
  expect_error(frombuffer, frombuffer.size() - 2, "shape (3,) of float32 needs 3 x 4 bytes, data has 8");
  std::string negative = "\x80\x04\x8c\x12numpy.core.numeric\x8c\x0b_frombuffer\x93(C\x00\x8c\x05numpy\x8c\x05" "dtype\x93"
                         "\x8c\x02" "f4\x85RJ\xff\xff\xff\xff\x85\x8c\x01" "CtR."s;
  expect_error(negative, negative.size() - 2, "negative dimension");
  std::string dtype = "\x80\x04\x8c\x05numpy\x8c\x05" "dtype\x93\x8c\x03" "c16\x85R."s;
  expect_error(dtype, dtype.size() - 2, "unsupported dtype 'c16'");
}

BOOST_AUTO_TEST_CASE(equal_keys_replace_in_place) {
  using namespace std::string_literals;
  // {1: 'a', 2: 'b', 1.0: 'c', True: 'd'} written by hand: Python keeps the first key's position.
  const std::string bytes = "\x80\x02}(K\x01X\x01\x00\x00\x00" "aK\x02X\x01\x00\x00\x00" "bG?\xf0\x00\x00\x00\x00\x00\x00"
                            "X\x01\x00\x00\x00" "c\x88X\x01\x00\x00\x00" "du."s;
  PickleDocument doc = parse_pickle(bytes, "test");
  const auto& entries = doc.root().as_dict();
  BOOST_REQUIRE_EQUAL(entries.size(), 2u);
  BOOST_TEST(entries[0].key->as_int() == 1);
  BOOST_TEST(entries[0].value->as_str() == "d");
  BOOST_TEST(entries[1].value->as_str() == "b");
}

BOOST_AUTO_TEST_CASE(typed_access_names_kind_and_offset) {
  PickleDocument doc = load_pickle_file(test_data("pickles/kinds_p4.pkl"));
  const PyValue& list = at(doc.root(), "list");
  BOOST_CHECK_EXCEPTION(list.as_dict(), FormatError, [&](const FormatError& e) {
    return std::string(e.what()) == "expected dict, found list at byte " + std::to_string(list.offset);
  });
  BOOST_CHECK_THROW(to_float32(at(doc.root(), "unicode").as_array()), FormatError);
}
