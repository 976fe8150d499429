// Missing keypoints: confidence 0, linear interpolation in time, nearest valid value at the edges.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "keypoints/gap_filling.h"

namespace kasf::keypoints {
namespace {

BOOST_AUTO_TEST_SUITE(gap_filling)

BOOST_AUTO_TEST_CASE(interpolates_inside_and_holds_at_the_edges) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  KeypointSequence s{6, std::vector<float>(6 * 17 * 3, 1.0f)};
  // Joint 4: x = 10 t where valid; frames 0 (NaN), 2 and 3 (score 0), 5 (NaN y) are missing.
  for (int64_t t = 0; t < 6; ++t) {
    s.keypoint(t, 4)[0] = 10.0f * t;
    s.keypoint(t, 4)[1] = 100.0f + t;
  }
  s.keypoint(0, 4)[0] = nan;
  s.keypoint(2, 4)[2] = 0;
  s.keypoint(3, 4)[2] = 0;
  s.keypoint(5, 4)[1] = nan;
  BOOST_TEST(fill_missing_keypoints(s, "test") == 4);
  const float x[6] = {10, 10, 20, 30, 40, 40};  // edges repeat frames 1 and 4; inside 10 -> 40 over 3 steps
  const float y[6] = {101, 101, 102, 103, 104, 104};
  const float score[6] = {0, 1, 0, 0, 1, 0};
  for (int64_t t = 0; t < 6; ++t) {
    BOOST_TEST(s.keypoint(t, 4)[0] == x[t], boost::test_tools::tolerance(1e-5f));
    BOOST_TEST(s.keypoint(t, 4)[1] == y[t], boost::test_tools::tolerance(1e-5f));
    BOOST_TEST(s.keypoint(t, 4)[2] == score[t]);
  }
  BOOST_TEST(s.keypoint(3, 5)[0] == 1.0f);  // other joints untouched
}

BOOST_AUTO_TEST_CASE(a_joint_missing_everywhere_is_an_error) {
  KeypointSequence s{3, std::vector<float>(3 * 17 * 3, 1.0f)};
  for (int64_t t = 0; t < 3; ++t) s.keypoint(t, 2)[2] = 0;
  try {
    fill_missing_keypoints(s, "clip.json");
    BOOST_FAIL("expected an exception");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()).find("clip.json: keypoint 2") != std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::keypoints
