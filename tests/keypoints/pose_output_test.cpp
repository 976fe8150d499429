// 3D pose files (JSON, CSV, HDF5) state their units, axes and joint order; millimetre scaling.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "framework/io/hdf5.h"
#include "keypoints/pose_output.h"
#include "tests/support/scratch_dir.h"

namespace kasf::keypoints {
namespace {

PoseOutput sample(int64_t frames) {
  PoseOutput p;
  p.frames = frames;
  for (int64_t i = 0; i < frames * 51; ++i) p.xyz.push_back(static_cast<float>(i) * 0.25f - 3);
  p.fps = 50;
  return p;
}

BOOST_AUTO_TEST_SUITE(pose_output)

BOOST_AUTO_TEST_CASE(json_states_units_axes_and_joints) {
  kasf::test::ScratchDir dir;
  write_poses(dir.file("out.json"), sample(2));
  const nlohmann::json doc = nlohmann::json::parse(kasf::test::read_file(dir.file("out.json")));
  BOOST_TEST(doc["units"] == "normalised");
  BOOST_TEST(doc["axes"].get<std::string>().find("root-relative") != std::string::npos);
  BOOST_TEST(doc["joint_order"][0] == "Pelvis");
  BOOST_TEST(doc["joint_order"][16] == "RWrist");
  BOOST_TEST(doc["frames"] == 2);
  BOOST_TEST(doc["poses"][1][2][1].get<float>() == (51 + 7) * 0.25f - 3);
  BOOST_TEST(dir.entries().size() == 1u);  // no temporary file left behind
}

BOOST_AUTO_TEST_CASE(csv_and_hdf5) {
  kasf::test::ScratchDir dir;
  PoseOutput p = scale_by_camera(sample(3), 1000, 1500, 4500);  // 500 px per unit, 3 mm per px
  BOOST_TEST(p.units == "mm");
  BOOST_TEST(p.xyz[5] == (5 * 0.25f - 3) * 1500.0f, boost::test_tools::tolerance(1e-5f));
  write_poses(dir.file("out.csv"), p);
  const std::string csv = kasf::test::read_file(dir.file("out.csv"));
  BOOST_TEST(csv.find("# units: mm\n") == 0u);
  BOOST_TEST(csv.find("frame,Pelvis_x,Pelvis_y,Pelvis_z,RHip_x") != std::string::npos);
  BOOST_TEST(csv.find("\n2,") != std::string::npos);

  write_poses(dir.file("out.h5"), p);
  io::h5::Handle file = io::h5::open_file(dir.file("out.h5"));
  Shape shape;
  const std::vector<float> values = io::h5::read_floats(file.id(), "poses", &shape);
  BOOST_TEST(shape == (Shape{3, 17, 3}), boost::test_tools::per_element());
  BOOST_TEST(values == p.xyz, boost::test_tools::per_element());
  BOOST_TEST(io::h5::read_strings(file.id(), "joint_names")[11] == "LShoulder");
  io::h5::Handle poses(H5Dopen2(file.id(), "poses", H5P_DEFAULT));
  BOOST_TEST(std::get<std::string>(io::h5::read_attribute(poses.id(), "units")) == "mm");
}

BOOST_AUTO_TEST_CASE(skeleton_height_scaling) {
  // A vertical skeleton: head 10 at y = -9, neck 9 at -8, thorax 8 at -6, spine 7 at -3, pelvis 0 at 0
  // (trunk chain 9), legs hip (0) -> knee (4) -> ankle (9): 9 each. Height 18 units.
  PoseOutput p;
  p.frames = 2;
  p.xyz.assign(2 * 51, 0.0f);
  const float y[17] = {0, 0, 4, 9, 0, 4, 9, -3, -6, -8, -9, -6, -6, -6, -6, -6, -6};
  for (int t = 0; t < 2; ++t)
    for (int j = 0; j < 17; ++j) p.xyz[t * 51 + j * 3 + 1] = y[j] * (t + 1);  // frame 1 twice as tall
  BOOST_TEST(skeleton_height(p.xyz.data()) == 18.0, boost::test_tools::tolerance(1e-9));
  p.frames = 1;
  p.xyz.resize(51);
  const PoseOutput mm = scale_by_skeleton_height(p, 1620);
  BOOST_TEST(mm.units == "mm");
  BOOST_TEST(mm.xyz[10 * 3 + 1] == -9.0f * 90, boost::test_tools::tolerance(1e-5f));
  BOOST_CHECK_THROW(scale_by_skeleton_height(p, 0), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(bad_outputs_leave_nothing) {
  kasf::test::ScratchDir dir;
  BOOST_CHECK_THROW(write_poses(dir.file("out.txt"), sample(1)), std::invalid_argument);
  PoseOutput broken = sample(2);
  broken.xyz.pop_back();
  BOOST_CHECK_THROW(write_poses(dir.file("out.json"), broken), std::invalid_argument);
  BOOST_TEST(dir.entries().size() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::keypoints
