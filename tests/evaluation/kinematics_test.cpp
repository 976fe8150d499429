// Joint angles, joint speeds and agreement measures on synthetic skeletons with known answers.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <map>
#include <numbers>
#include <stdexcept>

#include "evaluation/kinematics/agreement.h"
#include "evaluation/kinematics/curve_normalisation.h"
#include "evaluation/kinematics/joint_angles.h"
#include "evaluation/kinematics/joint_speeds.h"

namespace kasf::eval {
namespace {

constexpr double kDegree = std::numbers::pi / 180;

// A skeleton posed with chosen angles (degrees), built joint by joint from unit directions; y is
// up, x to the subject's left, z forward, segment lengths arbitrary.
Poses posed(double knee, double elbow, double hip_flexion, double shoulder_raise, double trunk) {
  Poses p{1, std::vector<float>(kJoints * 3, 0.0f)};
  auto set = [&](int j, double x, double y, double z) {
    p.joint(0, j)[0] = static_cast<float>(x);
    p.joint(0, j)[1] = static_cast<float>(y);
    p.joint(0, j)[2] = static_cast<float>(z);
  };
  auto offset = [&](int j, int from, double length, double angle_from_down, double lateral = 0) {
    // A segment from `from` pointing down rotated forward by `angle_from_down` (in the y-z plane).
    const float* f = p.joint(0, from);
    set(j, f[0] + lateral, f[1] - length * std::cos(angle_from_down * kDegree), f[2] + length * std::sin(angle_from_down * kDegree));
  };
  // Pelvis at the origin, spine straight up, thorax bent forward by 180 - trunk degrees at the spine.
  set(7, 0, 200, 0);
  set(8, 0, 200 + 250 * std::cos((180 - trunk) * kDegree), 250 * std::sin((180 - trunk) * kDegree));
  set(9, 0, 700, 0);
  set(10, 0, 800, 0);
  for (int side : {1, 4}) {
    const double x = side == 1 ? -100 : 100;
    set(side, x, 0, 0);
    // Thigh forward by (180 - hip) from hanging straight down, relative to the (vertical) trunk axis
    // pelvis -> thorax, which is only vertical when trunk = 180.
    offset(side + 1, side, 400, 180 - hip_flexion);
    // Shank bends back so the knee's included angle is `knee`.
    offset(side + 2, side + 1, 400, (180 - hip_flexion) - (180 - knee));
  }
  for (int shoulder : {11, 14}) {
    const double x = shoulder == 11 ? 180 : -180;
    const float* thorax = p.joint(0, 8);
    set(shoulder, x, thorax[1], thorax[2]);
    offset(shoulder + 1, shoulder, 300, shoulder_raise);
    offset(shoulder + 2, shoulder + 1, 250, shoulder_raise + (180 - elbow));
  }
  return p;
}

double angle_named(const Poses& p, const std::string& name) {
  for (const AngleDefinition& a : joint_angle_definitions())
    if (a.name == name) return joint_angle_series(p, a)[0];
  throw std::runtime_error("no angle " + name);
}

BOOST_AUTO_TEST_SUITE(kinematics)

BOOST_AUTO_TEST_CASE(angles_of_a_synthetic_skeleton) {
  const Poses p = posed(/*knee*/ 120, /*elbow*/ 95, /*hip*/ 150, /*shoulder*/ 40, /*trunk*/ 180);
  const std::map<std::string, double> expected = {
      {"right_knee", 120}, {"left_knee", 120}, {"right_elbow", 95}, {"left_elbow", 95}, {"right_hip", 150},
      {"left_hip", 150},   {"right_shoulder", 40}, {"left_shoulder", 40}, {"trunk", 180}};
  for (const auto& [name, degrees] : expected)
    BOOST_TEST(angle_named(p, name) == degrees, name << boost::test_tools::tolerance(1e-3));
  BOOST_TEST(joint_angle_definitions().size() == expected.size());
  // A bent trunk.
  BOOST_TEST(angle_named(posed(170, 170, 170, 10, 135), "trunk") == 135.0, boost::test_tools::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(degenerate_segments_give_nan) {
  Poses p = posed(120, 95, 150, 40, 180);
  for (int c = 0; c < 3; ++c) p.joint(0, 3)[c] = p.joint(0, 2)[c];  // right ankle on the knee
  BOOST_TEST(std::isnan(angle_named(p, "right_knee")));
}

BOOST_AUTO_TEST_CASE(speeds_of_a_constant_velocity_joint) {
  Poses p{4, std::vector<float>(4 * kJoints * 3, 0.0f)};
  for (int64_t t = 0; t < 4; ++t) {
    p.joint(t, 13)[0] = 3.0f * t;  // 3-4-5: 5 units per frame
    p.joint(t, 13)[2] = 4.0f * t;
  }
  const std::vector<double> v = joint_speed_series(p, 13, 50);
  BOOST_TEST(v.size() == 3u);
  for (double s : v) BOOST_TEST(s == 250.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(joint_speed_series(p, 0, 50)[1] == 0.0);
  BOOST_CHECK_THROW(joint_speed_series(p, 17, 50), std::out_of_range);
  BOOST_CHECK_THROW(joint_speed_series(p, 1, 0), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(derivative_of_a_line_and_a_parabola) {
  const std::vector<double> line = {1, 3, 5, 7};
  for (double d : time_derivative(line, 10)) BOOST_TEST(d == 20.0);
  const std::vector<double> parabola = {0, 1, 4, 9, 16};  // t^2 at 1 Hz: 2t inside
  const std::vector<double> d = time_derivative(parabola, 1);
  BOOST_TEST(d[2] == 4.0);
  BOOST_TEST(d[0] == 1.0);  // one-sided at the ends
  BOOST_TEST(d[4] == 7.0);
}

BOOST_AUTO_TEST_CASE(pearson_and_rmse_by_hand) {
  const std::vector<double> a = {1, 2, 3, 4}, b = {2, 4, 6, 8}, c = {4, 3, 2, 1};
  BOOST_TEST(pearson_r(a, b) == 1.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(pearson_r(a, c) == -1.0, boost::test_tools::tolerance(1e-12));
  const std::vector<double> d = {1, 0, 1, 0};
  // sum (a - 2.5)(d - 0.5) = -1; sqrt(5 * 1) -> r = -1/sqrt(5)
  BOOST_TEST(pearson_r(a, d) == -1 / std::sqrt(5.0), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(rmse(a, b) == std::sqrt((1 + 4 + 9 + 16) / 4.0), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(std::isnan(pearson_r(a, std::vector<double>{5, 5, 5, 5})));
  BOOST_CHECK_THROW(rmse(a, std::vector<double>{1, 2}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(curve_preparation) {
  const double nan = std::nan("");
  const std::vector<double> filled = forward_fill(std::vector<double>{nan, 2, nan, nan, 5, nan});
  BOOST_TEST(filled == (std::vector<double>{2, 2, 2, 2, 5, 5}), boost::test_tools::per_element());
  BOOST_CHECK_THROW(forward_fill(std::vector<double>{nan, nan}), std::invalid_argument);
  BOOST_TEST(min_max_normalise(std::vector<double>{2, 4, 3}) == (std::vector<double>{0, 1, 0.5}), boost::test_tools::per_element());
  const std::vector<double> resampled = time_normalise(std::vector<double>{0, 10, 30}, 5);  // positions 0, .5, 1, 1.5, 2
  BOOST_TEST(resampled == (std::vector<double>{0, 5, 10, 20, 30}), boost::test_tools::per_element());
  BOOST_TEST(time_normalise(std::vector<double>{0, 1, 2, 3}).size() == 101u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::eval
