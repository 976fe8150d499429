// Aggregation by action: the official unweighted mean over actions against the frame-weighted mean.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <stdexcept>

#include "evaluation/aggregate.h"

namespace kasf::eval {
namespace {

// A clip whose every frame has the given error on every joint (and so MPJPE = error).
ClipErrors uniform_clip(int frames, double error) {
  ClipErrors e;
  e.mpjpe.assign(frames, error);
  e.p_mpjpe.assign(frames, error / 2);
  e.n_mpjpe.assign(frames, error / 4);
  e.joint_errors.assign(frames * kJoints, error);
  if (frames >= 3) e.acceleration.assign(frames - 2, error / 10);
  return e;
}

BOOST_AUTO_TEST_SUITE(aggregate)

BOOST_AUTO_TEST_CASE(official_and_frame_weighted_differ_as_by_hand) {
  MetricAccumulator acc;
  acc.add_clip("walk", uniform_clip(3, 2.0));   // 3 frames at 2 mm
  acc.add_clip("box", uniform_clip(1, 10.0));   // 1 frame at 10 mm
  acc.add_clip("walk", uniform_clip(3, 2.0));   // a duplicate clip counts again: 6 walk frames
  const Summary official = acc.summary(Aggregation::official);
  const Summary frames = acc.summary(Aggregation::frames);
  BOOST_TEST(official.overall.mpjpe == 6.0, boost::test_tools::tolerance(1e-12));                   // (10 + 2) / 2
  BOOST_TEST(frames.overall.mpjpe == (10.0 + 6 * 2.0) / 7, boost::test_tools::tolerance(1e-12));   // per frame
  BOOST_TEST(official.overall.p_mpjpe == 3.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(frames.overall.n_mpjpe == (2.5 + 6 * 0.5) / 7, boost::test_tools::tolerance(1e-12));
  // Only walk clips have 3 frames: acceleration comes from walk alone.
  BOOST_TEST(official.overall.acceleration == 0.2, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(official.frames == 7);
  // Actions sorted by name, with their own means and frame counts.
  BOOST_REQUIRE(official.actions.size() == 2u);
  BOOST_TEST(official.actions[0].action == "box");
  BOOST_TEST(official.actions[1].action == "walk");
  BOOST_TEST(official.actions[1].frames == 6);
  BOOST_TEST(std::isnan(official.actions[0].values.acceleration));
  BOOST_TEST(official.overall.joints[3] == 6.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(official.overall.upper_body == 6.0, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(body_parts_average_their_joints) {
  ClipErrors e = uniform_clip(1, 0);
  for (int64_t j = 0; j < kJoints; ++j) e.joint_errors[j] = static_cast<double>(j);
  MetricAccumulator acc;
  acc.add_clip("a", e);
  const Summary s = acc.summary(Aggregation::official);
  BOOST_TEST(s.overall.lower_body == 3.5, boost::test_tools::tolerance(1e-12));   // mean of 1..6
  BOOST_TEST(s.overall.upper_body == 11.5, boost::test_tools::tolerance(1e-12));  // mean of 7..16
}

BOOST_AUTO_TEST_CASE(errors_are_clear) {
  MetricAccumulator acc;
  BOOST_CHECK_THROW(acc.summary(Aggregation::official), std::logic_error);
  ClipErrors broken = uniform_clip(2, 1.0);
  broken.p_mpjpe.pop_back();
  BOOST_CHECK_THROW(acc.add_clip("a", broken), std::invalid_argument);
  BOOST_CHECK_THROW(parse_aggregation("weighted"), std::invalid_argument);
  BOOST_TEST(static_cast<int>(parse_aggregation("frames")) == static_cast<int>(Aggregation::frames));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::eval
