// kasf_infer's keypoint mode end to end on the committed COCO sample with the small fixture model:
// one root-relative pose per input frame, the metadata each format carries, and the mm scales.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/scratch_dir.h"
#include "framework/io/hdf5.h"
#include "infer_tool.h"

namespace kasf::inference::test {
namespace {

using kasf::test::ScratchDir;

const std::vector<std::string> kH36mNames = {"Pelvis", "RHip",      "RKnee",  "RAnkle", "LHip",      "LKnee",
                                             "LAnkle", "Spine",     "Thorax", "Neck",   "Head",      "LShoulder",
                                             "LElbow", "LWrist",    "RShoulder", "RElbow", "RWrist"};

struct H5Poses {
  std::vector<float> xyz;
  Shape shape;
  std::string units;
};

H5Poses read_h5_poses(const std::string& path) {
  io::h5::Handle file = io::h5::open_file(path);
  H5Poses poses;
  poses.xyz = io::h5::read_floats(file.id(), "poses", &poses.shape);
  io::h5::Handle dataset(H5Dopen2(file.id(), "poses", H5P_DEFAULT));
  poses.units = std::get<std::string>(io::h5::read_attribute(dataset.id(), "units"));
  BOOST_TEST(io::h5::read_strings(file.id(), "joint_names") == kH36mNames, boost::test_tools::per_element());
  return poses;
}

double distance(const float* pose, int a, int b) {
  return std::hypot(pose[a * 3] - pose[b * 3], pose[a * 3 + 1] - pose[b * 3 + 1], pose[a * 3 + 2] - pose[b * 3 + 2]);
}

// Head-neck-thorax-spine-pelvis plus the mean of the two hip-knee-ankle chains (docs/evaluation.md).
double median_skeleton_height(const std::vector<float>& xyz) {
  std::vector<double> heights;
  for (size_t p = 0; p < xyz.size(); p += 51) {
    const float* pose = xyz.data() + p;
    heights.push_back(distance(pose, 10, 9) + distance(pose, 9, 8) + distance(pose, 8, 7) + distance(pose, 7, 0) +
                      (distance(pose, 1, 2) + distance(pose, 2, 3) + distance(pose, 4, 5) + distance(pose, 5, 6)) / 2);
  }
  std::sort(heights.begin(), heights.end());
  return heights[heights.size() / 2];
}

BOOST_AUTO_TEST_SUITE(infer_keypoints)

BOOST_AUTO_TEST_CASE(json_output_has_a_root_relative_pose_per_frame_and_says_its_units) {
  ScratchDir dir;
  BOOST_REQUIRE_EQUAL(run_infer(sample_arguments(dir.file("poses.json"), "--fps 30"), dir.file("log")), 0);
  const auto doc = nlohmann::json::parse(kasf::test::read_file(dir.file("poses.json")));
  BOOST_TEST(doc["units"] == "normalised");
  BOOST_TEST(doc["fps"] == 30.0);
  BOOST_TEST(doc["frames"] == kSampleFrames);
  BOOST_TEST(doc["joint_order"].get<std::vector<std::string>>() == kH36mNames, boost::test_tools::per_element());
  BOOST_TEST(doc["axes"].get<std::string>().find("x: image right, y: image down, z: away from the camera") == 0u);
  BOOST_REQUIRE_EQUAL(doc["poses"].size(), static_cast<size_t>(kSampleFrames));
  double spread = 0;
  for (const auto& frame : doc["poses"]) {
    BOOST_REQUIRE_EQUAL(frame.size(), 17u);
    for (int c = 0; c < 3; ++c) BOOST_TEST(frame[0][c].get<double>() == 0.0);
    for (const auto& joint : frame) {
      BOOST_REQUIRE_EQUAL(joint.size(), 3u);
      for (const auto& v : joint) BOOST_TEST(std::isfinite(v.get<double>()));
      spread += std::abs(joint[0].get<double>()) + std::abs(joint[2].get<double>());
    }
  }
  BOOST_TEST(spread > 0);
  BOOST_TEST(kasf::test::read_file(dir.file("log")).find("throughput: 41 frames") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(csv_output_has_header_lines_and_a_row_per_frame) {
  ScratchDir dir;
  BOOST_REQUIRE_EQUAL(run_infer(sample_arguments(dir.file("poses.csv")), dir.file("log")), 0);
  std::istringstream csv(kasf::test::read_file(dir.file("poses.csv")));
  std::vector<std::string> comments, rows;
  for (std::string line; std::getline(csv, line);) (line.starts_with("#") ? comments : rows).push_back(line);
  BOOST_TEST(comments.at(0) == "# units: normalised");
  BOOST_TEST(comments.at(2) == "# joint order: H36M-17");
  BOOST_REQUIRE_EQUAL(rows.size(), static_cast<size_t>(kSampleFrames + 1));
  BOOST_TEST(rows[0].starts_with("frame,Pelvis_x,Pelvis_y,Pelvis_z,RHip_x"));
  for (const std::string& row : rows) BOOST_TEST(std::count(row.begin(), row.end(), ',') == 51);
}

BOOST_AUTO_TEST_CASE(a_subject_height_or_a_camera_gives_millimetres) {
  ScratchDir dir;
  BOOST_REQUIRE_EQUAL(run_infer(sample_arguments(dir.file("plain.h5")), dir.file("log")), 0);
  BOOST_REQUIRE_EQUAL(run_infer(sample_arguments(dir.file("height.h5"), "--subject-height 1650"), dir.file("log")), 0);
  BOOST_REQUIRE_EQUAL(run_infer(sample_arguments(dir.file("camera.h5"), "--focal 1200 --distance 6000"), dir.file("log")), 0);
  const H5Poses plain = read_h5_poses(dir.file("plain.h5"));
  const H5Poses height = read_h5_poses(dir.file("height.h5"));
  const H5Poses camera = read_h5_poses(dir.file("camera.h5"));
  BOOST_TEST(plain.shape == (Shape{kSampleFrames, 17, 3}), boost::test_tools::per_element());
  BOOST_TEST(plain.units == "normalised");
  BOOST_TEST(height.units == "mm");
  BOOST_TEST(camera.units == "mm");
  BOOST_TEST(median_skeleton_height(height.xyz) == 1650.0, boost::test_tools::tolerance(1e-4));
  // Normalised units are half image widths at the subject: mm = n * 1000 / 2 * 6000 / 1200.
  for (size_t i = 0; i < plain.xyz.size(); ++i)
    BOOST_TEST(camera.xyz[i] == plain.xyz[i] * 2500.0f, boost::test_tools::tolerance(1e-4f));
  // The skeleton-height scale is one factor for the whole sequence.
  const size_t probe = 3 * 51 + 16 * 3;
  const double factor = height.xyz[probe] / plain.xyz[probe];
  for (size_t i = 0; i < plain.xyz.size(); ++i)
    BOOST_TEST(height.xyz[i] == plain.xyz[i] * factor, boost::test_tools::tolerance(1e-4));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::inference::test
