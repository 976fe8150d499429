// Horizontal flip (spec 5.2): x negated, right and left limbs swapped, spine and head kept.
#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <vector>

#include "datasets/flip.h"

namespace kasf::data {
namespace {

// Joint j, channel c holds 100 * j + c + 1, so every value names where it came from.
std::vector<float> labelled_poses(int64_t poses, int64_t channels) {
  std::vector<float> values;
  for (int64_t p = 0; p < poses; ++p)
    for (int64_t j = 0; j < kNumJoints; ++j)
      for (int64_t c = 0; c < channels; ++c) values.push_back(static_cast<float>(1000 * p + 100 * j + c + 1));
  return values;
}

BOOST_AUTO_TEST_SUITE(flip)

BOOST_AUTO_TEST_CASE(swaps_the_spec_joint_groups) {
  // The spec's lists: [1,2,3,14,15,16] <-> [4,5,6,11,12,13].
  const int64_t expected[kNumJoints] = {0, 4, 5, 6, 1, 2, 3, 7, 8, 9, 10, 14, 15, 16, 11, 12, 13};
  for (int64_t j = 0; j < kNumJoints; ++j) BOOST_TEST(flipped_joint(j) == expected[j]);
  BOOST_CHECK_THROW(flipped_joint(17), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(negates_x_and_moves_joints) {
  for (int64_t channels : {3, 2}) {
    std::vector<float> values = labelled_poses(2, channels);
    flip_poses(values, channels);
    for (int64_t p = 0; p < 2; ++p) {
      // Right knee (2) now holds the left knee (5); left wrist (13) holds the right wrist (16).
      const float* pose = values.data() + p * kNumJoints * channels;
      BOOST_TEST(pose[2 * channels] == -(1000.0f * p + 501));
      BOOST_TEST(pose[2 * channels + 1] == 1000.0f * p + 502);
      BOOST_TEST(pose[13 * channels] == -(1000.0f * p + 1601));
      BOOST_TEST(pose[13 * channels + 1] == 1000.0f * p + 1602);
      // The root and the head stay, with x negated.
      BOOST_TEST(pose[0] == -(1000.0f * p + 1));
      BOOST_TEST(pose[10 * channels] == -(1000.0f * p + 1001));
      BOOST_TEST(pose[10 * channels + 1] == 1000.0f * p + 1002);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_joint_lands_where_the_table_says) {
  const int64_t channels = 3;
  std::vector<float> values = labelled_poses(1, channels);
  flip_poses(values, channels);
  for (int64_t j = 0; j < kNumJoints; ++j) {
    const int64_t source = flipped_joint(j);
    BOOST_TEST(values[j * channels] == -(100.0f * source + 1));
    BOOST_TEST(values[j * channels + 1] == 100.0f * source + 2);
    BOOST_TEST(values[j * channels + 2] == 100.0f * source + 3);
  }
}

BOOST_AUTO_TEST_CASE(twice_is_the_identity) {
  const std::vector<float> original = labelled_poses(5, 3);
  std::vector<float> values = original;
  flip_poses(values, 3);
  BOOST_TEST(values != original);
  flip_poses(values, 3);
  BOOST_TEST(values == original);
}

BOOST_AUTO_TEST_CASE(rejects_partial_poses) {
  std::vector<float> values(17 * 3 + 1);
  BOOST_CHECK_THROW(flip_poses(values, 3), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::data
