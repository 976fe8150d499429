// The fixed 3D view (rotations worked out by hand) and the side colours of the drawn skeleton.
#include <boost/test/unit_test.hpp>

#include "inference/skeleton_view.h"

namespace kasf::inference {
namespace {

// A pose with every joint at `point` except the pelvis at the origin.
std::vector<float> pose_with(std::array<float, 3> point) {
  std::vector<float> pose(51, 0.0f);
  for (int j = 1; j < 17; ++j)
    for (int c = 0; c < 3; ++c) pose[j * 3 + c] = point[c];
  return pose;
}

reporting::Color pixel(const reporting::Image& image, int x, int y) {
  const uint8_t* p = image.rgb().data() + (static_cast<size_t>(y) * image.width() + x) * 3;
  return {p[0], p[1], p[2]};
}

BOOST_AUTO_TEST_SUITE(skeleton_view)

BOOST_AUTO_TEST_CASE(orthographic_view_turns_and_tilts) {
  const std::vector<float> pose = pose_with({1, 2, 3});
  const auto check = [&](double azimuth, double elevation, double x, double y) {
    const ScreenPose screen = orthographic_view(pose.data(), azimuth, elevation);
    BOOST_TEST(screen[0][0] == 0.0);
    BOOST_TEST(screen[0][1] == 0.0);
    BOOST_TEST(screen[5][0] == x, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(screen[5][1] == y, boost::test_tools::tolerance(1e-9));
  };
  check(0, 0, 1, 2);    // straight on: the image plane
  check(90, 0, -3, 2);  // from the subject's side: depth becomes horizontal
  check(0, 90, 1, -3);  // from above: far points at the top
  // Turned 30 degrees, then tilted 15: x' = cos30 - 3 sin30, z' = sin30 + 3 cos30, y = 2 cos15 - z' sin15.
  check(30, 15, 0.8660254037844387 - 1.5, 2 * 0.9659258262890683 - (0.5 + 3 * 0.8660254037844387) * 0.2588190451025208);
}

BOOST_AUTO_TEST_CASE(left_bones_are_blue_and_right_bones_red) {
  ScreenPose pose{};
  pose[0] = {50, 50};
  pose[4] = {90, 50};  // left hip, to the image right of the pelvis
  pose[1] = {10, 50};  // right hip, to the left
  for (int j : {2, 3}) pose[j] = pose[1];
  for (int j : {5, 6}) pose[j] = pose[4];
  for (int j : {7, 8, 9, 10, 11, 12, 13, 14, 15, 16}) pose[j] = pose[0];
  reporting::Image image(100, 100, {255, 255, 255});
  draw_skeleton(image, pose, {0, 0}, 1.0);
  const reporting::Color left = pixel(image, 75, 50), right = pixel(image, 25, 50), empty = pixel(image, 50, 80);
  BOOST_TEST((left.b > 150 && left.r < 100));
  BOOST_TEST((right.r > 150 && right.b < 100));
  BOOST_TEST((empty.r == 255 && empty.g == 255 && empty.b == 255));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::inference
