// Keypoint files: detector JSON layouts, .npy, CSV and HDF5, and their bad-input errors.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "framework/io/error.h"
#include "framework/io/hdf5.h"
#include "keypoints/coco_json.h"
#include "keypoints/h36m_tables.h"
#include "keypoints/keypoint_input.h"
#include "keypoints/npy_file.h"
#include "tests/support/scratch_dir.h"

namespace kasf::keypoints {
namespace {

// 51 numbers "x, y, s" of a person whose keypoint j sits at (base + j, 2 base + j) with score s.
std::string flat_keypoints(int base, double score) {
  std::string s = "[";
  for (int j = 0; j < 17; ++j)
    s += (j ? "," : "") + std::to_string(base + j) + "," + std::to_string(2 * base + j) + "," + std::to_string(score);
  return s + "]";
}

void check_person(const KeypointSequence& seq, int64_t frame, int base) {
  for (int j = 0; j < 17; ++j) {
    BOOST_TEST(seq.keypoint(frame, j)[0] == static_cast<float>(base + j));
    BOOST_TEST(seq.keypoint(frame, j)[1] == static_cast<float>(2 * base + j));
  }
}

template <typename F>
void expect_error(F&& f, const std::string& part) {
  try {
    f();
    BOOST_FAIL("expected an error mentioning '" + part + "'");
  } catch (const std::exception& e) {
    BOOST_TEST(std::string(e.what()).find(part) != std::string::npos, "message: " << e.what());
  }
}

// A .npy file: version 1 header padded to 64 bytes, then the raw data.
std::string npy(const std::string& descr, bool fortran, const std::string& shape, const std::string& data) {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY\x01";
  out += '\0';
  out += static_cast<char>(header.size() & 0xFF);
  out += static_cast<char>(header.size() >> 8);
  return out + header + data;
}

template <typename T>
std::string raw(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

BOOST_AUTO_TEST_SUITE(readers)

BOOST_AUTO_TEST_CASE(json_list_of_frames) {
  kasf::test::ScratchDir dir;
  // Frame 0: two people, the second scores higher. Frame 1: nothing detected. Frame 2: one object.
  const std::string path = dir.write("a.json", "[[{\"keypoints\":" + flat_keypoints(10, 0.9) + ",\"score\":0.5},{\"keypoints\":" +
                                                   flat_keypoints(20, 0.8) + ",\"score\":0.7}], [], {\"keypoints\":" +
                                                   flat_keypoints(30, 0.9) + "}]");
  const KeypointSequence seq = read_coco_json(path);
  BOOST_TEST(seq.frames == 3);
  check_person(seq, 0, 20);
  BOOST_TEST(std::isnan(seq.keypoint(1, 0)[0]));
  BOOST_TEST(seq.keypoint(1, 0)[2] == 0.0f);
  check_person(seq, 2, 30);
  BOOST_TEST(seq.keypoint(2, 5)[2] == 0.9f);
  // Through read_keypoints the empty frame is interpolated and the result is H36M ordered.
  const KeypointInput input = read_keypoints(path, KeypointFormat::coco_json);
  BOOST_TEST(input.filled == 17);
  BOOST_TEST(input.h36m.keypoint(1, 1)[0] == 37.0f);  // RHip = COCO 12: (20 + 12 + 30 + 12) / 2
  BOOST_TEST(input.h36m.keypoint(1, 1)[2] == 0.0f);
}

BOOST_AUTO_TEST_CASE(json_detection_lists_and_wrapped_layouts) {
  kasf::test::ScratchDir dir;
  // Integer ids with a gap (frame 6 has no detection), out of order.
  const std::string ids = dir.write("b.json", "[{\"image_id\":7,\"keypoints\":" + flat_keypoints(3, 1) + ",\"score\":1}," +
                                                  "{\"image_id\":5,\"keypoints\":" + flat_keypoints(1, 1) + ",\"score\":1}]");
  const KeypointSequence by_id = read_coco_json(ids);
  BOOST_TEST(by_id.frames == 3);
  check_person(by_id, 0, 1);
  BOOST_TEST(std::isnan(by_id.keypoint(1, 0)[0]));
  check_person(by_id, 2, 3);
  // AlphaPose-style string ids are ordered by their number: "10.jpg" after "9.jpg".
  const std::string names = dir.write("c.json", "[{\"image_id\":\"10.jpg\",\"keypoints\":" + flat_keypoints(10, 1) + "}," +
                                                    "{\"image_id\":\"9.jpg\",\"keypoints\":" + flat_keypoints(9, 1) + "}]");
  const KeypointSequence by_name = read_coco_json(names);
  check_person(by_name, 0, 9);
  check_person(by_name, 1, 10);
  // {"frames": [...]} and MMPose 1.x {"instance_info": [{"instances": [...]}]} with [x, y] pairs.
  check_person(read_coco_json(dir.write("d.json", "{\"frames\":[" + flat_keypoints(4, 1) + "]}")), 0, 4);
  std::string pairs = "[", scores = "[";
  for (int j = 0; j < 17; ++j) {
    pairs += (j ? "," : "") + std::string("[") + std::to_string(6 + j) + "," + std::to_string(12 + j) + "]";
    scores += (j ? "," : "") + std::string("0.25");
  }
  pairs += "]";
  scores += "]";
  const KeypointSequence mmpose = read_coco_json(dir.write(
      "e.json", "{\"meta_info\":{},\"instance_info\":[{\"frame_id\":1,\"instances\":[{\"keypoints\":" + pairs +
                    ",\"keypoint_scores\":" + scores + "}]}]}"));
  check_person(mmpose, 0, 6);
  BOOST_TEST(mmpose.keypoint(0, 3)[2] == 0.25f);
}

BOOST_AUTO_TEST_CASE(json_bad_input) {
  kasf::test::ScratchDir dir;
  const std::string short_person = dir.write("f.json", "[{\"keypoints\":[1,2,3]}]");
  expect_error([&] { read_coco_json(short_person); }, "f.json: frame 0");
  expect_error([&] { read_coco_json(short_person); }, "expected 51");
  expect_error([&] { read_coco_json(dir.write("g.json", "")); }, "empty");
  expect_error([&] { read_coco_json(dir.write("h.json", "{\"people\":[]}")); }, "unknown layout");
  expect_error([&] { read_coco_json(dir.write("i.json", "[{\"keypoints\": ")); }, "not valid JSON");
  expect_error([&] { read_coco_json(dir.file("missing.json")); }, "cannot open");
  BOOST_CHECK_THROW(parse_keypoint_format("openpose-json"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(npy_files) {
  kasf::test::ScratchDir dir;
  // (2, 17, 3) float64 in C order: value = 100 t + 3 j + c.
  std::vector<double> c_order;
  for (int t = 0; t < 2; ++t)
    for (int j = 0; j < 17; ++j)
      for (int c = 0; c < 3; ++c) c_order.push_back(100 * t + 3 * j + c + (c == 2 ? 0.5 : 0));
  const NpyArray a = read_npy(dir.write("a.npy", npy("<f8", false, "(2, 17, 3)", raw(c_order))));
  BOOST_TEST(a.shape == (std::vector<int64_t>{2, 17, 3}), boost::test_tools::per_element());
  BOOST_TEST(a.values[17 * 3 + 1] == 101.0f);  // t 1, j 0, c 1
  // The same array in Fortran order (first index fastest), as float32.
  std::vector<float> fortran;
  for (int c = 0; c < 3; ++c)
    for (int j = 0; j < 17; ++j)
      for (int t = 0; t < 2; ++t) fortran.push_back(static_cast<float>(c_order[(t * 17 + j) * 3 + c]));
  const NpyArray f = read_npy(dir.write("f.npy", npy("<f4", true, "(2, 17, 3)", raw(fortran))));
  for (size_t i = 0; i < c_order.size(); ++i) BOOST_TEST(f.values[i] == static_cast<float>(c_order[i]));
  // Through read_keypoints (COCO order, converted): H36M RHip = COCO 12.
  const KeypointInput input = read_keypoints(dir.file("a.npy"), KeypointFormat::ap3d_npy);
  BOOST_TEST(input.h36m.keypoint(1, 1)[0] == 136.0f);
  // Bad files.
  expect_error([&] { read_npy(dir.write("o.npy", npy("|O", false, "(2,)", std::string(16, '\0')))); }, "object arrays");
  expect_error([&] { read_npy(dir.write("e.npy", "")); }, "empty");
  expect_error([&] { read_npy(dir.write("m.npy", "not numpy at all")); }, "bad magic");
  expect_error([&] { read_keypoints(dir.write("w.npy", npy("<f8", false, "(2, 16, 3)", raw(std::vector<double>(96)))),
                                    KeypointFormat::ap3d_npy); },
               "(2, 16, 3)");
  expect_error([&] { read_npy(dir.write("t.npy", npy("<f8", false, "(2, 17, 3)", raw(std::vector<double>(100))))); },
               "bytes");
}

BOOST_AUTO_TEST_CASE(csv_files) {
  kasf::test::ScratchDir dir;
  std::string header = "x0,y0,c0", row0, row1;
  for (int j = 0; j < 17; ++j) {
    row0 += (j ? "," : "") + std::to_string(j) + "," + std::to_string(10 + j) + ",0.5";
    row1 += (j ? "," : "") + std::string(j == 3 ? "nan," : std::to_string(20 + j) + ",") + std::to_string(30 + j) + ",0.75";
  }
  const KeypointSequence seq = read_h36m_csv(dir.write("a.csv", header + "\n" + row0 + "\n" + row1 + "\n"));
  BOOST_TEST(seq.frames == 2);
  BOOST_TEST(seq.keypoint(1, 16)[0] == 36.0f);
  BOOST_TEST(seq.keypoint(0, 2)[2] == 0.5f);
  BOOST_TEST(std::isnan(seq.keypoint(1, 3)[0]));
  // 34 columns: (x, y) with confidence 1.
  std::string pairs;
  for (int j = 0; j < 17; ++j) pairs += (j ? "," : "") + std::to_string(j) + ",1";
  BOOST_TEST(read_h36m_csv(dir.write("b.csv", pairs + "\n")).keypoint(0, 9)[2] == 1.0f);
  expect_error([&] { read_h36m_csv(dir.write("c.csv", "1,2,3\n")); }, "row 1: 3 columns");
  expect_error([&] { read_h36m_csv(dir.write("d.csv", row0 + "\n" + pairs + "\n")); }, "row 2");
  expect_error([&] { read_h36m_csv(dir.write("e.csv", "")); }, "empty");
  expect_error([&] { read_h36m_csv(dir.write("f.csv", header + "\n" + row0 + "\nx,y\n")); }, "non-numeric");
}

BOOST_AUTO_TEST_CASE(hdf5_files) {
  kasf::test::ScratchDir dir;
  std::vector<float> values(3 * 17 * 2);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i);
  {
    io::h5::Handle file = io::h5::create_file(dir.file("a.h5"));
    io::h5::write_floats(file.id(), "keypoints", {3, 17, 2}, values.data());
    io::h5::Handle wrong = io::h5::create_file(dir.file("b.h5"));
    io::h5::write_floats(wrong.id(), "keypoints", {3, 34}, values.data());
    io::h5::Handle other = io::h5::create_file(dir.file("c.h5"));
    io::h5::write_floats(other.id(), "poses", {3, 34}, values.data());
  }
  const KeypointSequence seq = read_h36m_h5(dir.file("a.h5"));
  BOOST_TEST(seq.frames == 3);
  BOOST_TEST(seq.keypoint(2, 16)[1] == 101.0f);
  BOOST_TEST(seq.keypoint(2, 16)[2] == 1.0f);
  expect_error([&] { read_h36m_h5(dir.file("b.h5")); }, "(3, 34)");
  expect_error([&] { read_h36m_h5(dir.file("c.h5")); }, "no dataset '/keypoints'");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::keypoints
