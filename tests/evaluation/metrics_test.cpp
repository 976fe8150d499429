// Per-frame metrics (spec 7 step 4) and the prediction post-processing (steps 2-3).
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <stdexcept>

#include "datasets/normalize.h"
#include "evaluation/metrics.h"
#include "evaluation/postprocess.h"
#include "pose_builders.h"

namespace kasf::eval {
namespace {

BOOST_AUTO_TEST_SUITE(metrics)

BOOST_AUTO_TEST_CASE(mpjpe_and_joint_errors_by_hand) {
  const Poses truth = test::standing_pose(2);
  Poses prediction = truth;
  prediction.joint(0, 5)[0] += 3;  // frame 0: one joint off by a (3, 4, 0) vector, 5 mm
  prediction.joint(0, 5)[1] += 4;
  for (int64_t j = 0; j < kJoints; ++j) prediction.joint(1, j)[2] += 2;  // frame 1: every joint 2 mm off
  const ClipErrors e = evaluate_clip(prediction, truth);
  BOOST_TEST(e.mpjpe[0] == 5.0 / 17, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(e.joint_errors[5] == 5.0, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(e.joint_errors[4] == 0.0);
  BOOST_TEST(e.mpjpe[1] == 2.0, boost::test_tools::tolerance(1e-6));
  // A pure translation disappears after Procrustes alignment.
  BOOST_TEST(e.p_mpjpe[1] < 1e-3);
}

BOOST_AUTO_TEST_CASE(n_mpjpe_removes_a_global_scale_only) {
  const Poses truth = test::standing_pose(1);
  Poses half = truth;
  for (float& v : half.xyz) v *= 0.5f;
  BOOST_TEST(scale_normalised_error(half.joint(0, 0), truth.joint(0, 0)) < 1e-4);
  // Shifting one joint: the optimal scale s = <g, p> / <p, p> of a hand-made two-joint case.
  Poses prediction = truth;
  for (float& v : prediction.xyz) v = 0;
  prediction.joint(0, 1)[0] = 1;  // p = (1,0,0) at joint 1, truth there (-130, 10, 5)
  const double s = -130.0;        // <g, p> / <p, p>
  double expected = 0;
  for (int64_t j = 0; j < kJoints; ++j) {
    double sq = 0;
    for (int c = 0; c < 3; ++c) sq += std::pow(s * prediction.joint(0, j)[c] - truth.joint(0, j)[c], 2);
    expected += std::sqrt(sq) / kJoints;
  }
  BOOST_TEST(scale_normalised_error(prediction.joint(0, 0), truth.joint(0, 0)) == expected, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(acceleration_error_of_constant_velocity_is_zero) {
  const Poses truth = test::standing_pose(27);  // every joint moves at a constant velocity
  Poses prediction = truth;
  for (int64_t t = 0; t < prediction.frames; ++t)
    for (int64_t j = 0; j < kJoints; ++j) prediction.joint(t, j)[0] += 7.0f * t + 2;  // another constant velocity
  const std::vector<double> a = acceleration_errors(prediction, truth);
  BOOST_TEST(a.size() == 25u);
  for (double v : a) BOOST_TEST(v < 1e-3);
}

BOOST_AUTO_TEST_CASE(acceleration_error_of_a_parabola) {
  const Poses truth = test::standing_pose(5);
  Poses prediction = truth;
  for (int64_t t = 0; t < 5; ++t)
    for (int64_t j = 0; j < kJoints; ++j) prediction.joint(t, j)[1] += 1.5f * t * t;  // second difference 3
  for (double v : acceleration_errors(prediction, truth)) BOOST_TEST(v == 3.0, boost::test_tools::tolerance(1e-5));
}

BOOST_AUTO_TEST_CASE(mismatched_frames_and_shapes_are_rejected) {
  const Poses a = test::standing_pose(3), b = test::standing_pose(4);
  BOOST_CHECK_THROW(evaluate_clip(a, b), std::invalid_argument);
  Poses broken = a;
  broken.xyz.pop_back();
  BOOST_CHECK_THROW(evaluate_clip(broken, a), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(post_processing_matches_the_spec_steps) {
  // Steps 2-3 done literally with the dataset pipeline's de-normalisation: zero the root,
  // de-normalise with (w, h), multiply frame t by factor_t, subtract the root.
  const data::ImageSize size{1920, 1080};
  Poses normalised = test::standing_pose(3);
  for (float& v : normalised.xyz) v /= 1000.0f;
  const std::vector<float> factor = {2.5f, 3.0f, 4.25f};
  Poses expected = normalised;
  for (int64_t t = 0; t < 3; ++t) {
    for (int c = 0; c < 3; ++c) expected.joint(t, 0)[c] = 0;
    std::span<float> frame(expected.joint(t, 0), kJoints * 3);
    data::denormalize_points(frame, size);
    for (float& v : frame) v *= factor[t];
    float root[3] = {frame[0], frame[1], frame[2]};
    for (int64_t j = 0; j < kJoints; ++j)
      for (int c = 0; c < 3; ++c) frame[j * 3 + c] -= root[c];
  }
  const Poses mm = prediction_to_mm(normalised, size.width, factor);
  for (size_t i = 0; i < mm.xyz.size(); ++i) BOOST_TEST(mm.xyz[i] == expected.xyz[i], boost::test_tools::tolerance(1e-3f));
  BOOST_CHECK_THROW(prediction_to_mm(normalised, size.width, std::vector<float>{1, 2}), std::invalid_argument);

  const Poses relative = root_relative(test::standing_pose(2));
  for (int64_t t = 0; t < 2; ++t)
    for (int c = 0; c < 3; ++c) BOOST_TEST(relative.joint(t, 0)[c] == 0.0f);
  BOOST_TEST(relative.joint(1, 2)[1] - relative.joint(1, 1)[1] == 440.0f);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::eval
