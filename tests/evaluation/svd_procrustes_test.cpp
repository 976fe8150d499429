// The 3x3 SVD and the similarity Procrustes alignment behind P-MPJPE (spec 7 step 4).
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <random>

#include "evaluation/procrustes.h"
#include "evaluation/svd3.h"
#include "pose_builders.h"

namespace kasf::eval {
namespace {

double reconstruction_error(const Mat3& a, const Svd3& d) {
  double worst = 0;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      double v = 0;
      for (int k = 0; k < 3; ++k) v += d.u[i][k] * d.s[k] * d.v[j][k];
      worst = std::max(worst, std::abs(v - a[i][j]));
    }
  return worst;
}

double orthonormality_error(const Mat3& m) {
  const Mat3 p = multiply(transpose(m), m);
  double worst = 0;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) worst = std::max(worst, std::abs(p[i][j] - (i == j ? 1.0 : 0.0)));
  return worst;
}

// Sum of squared distances after aligning, the objective the Procrustes solution minimises.
double squared_error(const double* aligned, const float* truth) {
  double sum = 0;
  for (int i = 0; i < kJoints * 3; ++i) sum += std::pow(aligned[i] - truth[i], 2);
  return sum;
}

BOOST_AUTO_TEST_SUITE(svd)

BOOST_AUTO_TEST_CASE(decomposes_random_and_rank_deficient_matrices) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> value(-3, 3);
  std::vector<Mat3> cases;
  for (int n = 0; n < 50; ++n) {
    Mat3 a;
    for (auto& row : a)
      for (double& x : row) x = value(rng);
    cases.push_back(a);
  }
  cases.push_back({{{1, 2, 3}, {2, 4, 6}, {-1, -2, -3}}});  // rank 1
  cases.push_back({{{1, 0, 0}, {0, 2, 0}, {0, 0, 0}}});     // rank 2
  cases.push_back({{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}}});     // rank 0
  for (const Mat3& a : cases) {
    const Svd3 d = svd3(a);
    BOOST_TEST(reconstruction_error(a, d) < 1e-12);
    BOOST_TEST(orthonormality_error(d.u) < 1e-12);
    BOOST_TEST(orthonormality_error(d.v) < 1e-12);
    BOOST_TEST(d.s[0] >= d.s[1]);
    BOOST_TEST(d.s[1] >= d.s[2]);
    BOOST_TEST(d.s[2] >= 0.0);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(procrustes)

BOOST_AUTO_TEST_CASE(a_known_similarity_transform_gives_zero_error) {
  const Poses truth = test::standing_pose();
  for (double angle : {0.3, 1.7, 3.1}) {
    const Poses prediction = test::transformed(truth, test::axis_angle(0.48, 0.6, 0.64, angle), 1.0 / 1.7, {250, -40, 3000});
    BOOST_TEST(procrustes_error(prediction.joint(0, 0), truth.joint(0, 0)) < 1e-3);  // mm, float input
  }
}

BOOST_AUTO_TEST_CASE(a_mirrored_pose_is_not_undone_by_a_reflection) {
  const Poses truth = test::standing_pose();
  Poses mirrored = truth;
  for (int64_t j = 0; j < kJoints; ++j) mirrored.joint(0, j)[0] = -mirrored.joint(0, j)[0];
  std::array<double, kJoints * 3> aligned;
  align_similarity(mirrored.joint(0, 0), truth.joint(0, 0), aligned.data());
  // A reflection would match exactly; proper rotations cannot.
  BOOST_TEST(procrustes_error(mirrored.joint(0, 0), truth.joint(0, 0)) > 10.0);
  // The aligned pose keeps the handedness of the prediction: the signed volume spanned by three
  // bones has the mirrored sign.
  auto volume = [](auto p) {
    double a[3], b[3], c[3];
    for (int k = 0; k < 3; ++k) {
      a[k] = p(3, k) - p(0, k);
      b[k] = p(13, k) - p(0, k);
      c[k] = p(10, k) - p(0, k);
    }
    return a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
  };
  const double v_truth = volume([&](int j, int k) { return static_cast<double>(truth.joint(0, j)[k]); });
  const double v_aligned = volume([&](int j, int k) { return aligned[j * 3 + k]; });
  BOOST_TEST(v_truth * v_aligned < 0);
}

BOOST_AUTO_TEST_CASE(a_mirrored_planar_pose_is_a_rotation_away) {
  // In a plane a mirror image equals a half turn about an in-plane axis, so the error vanishes;
  // this needs the rank-2 SVD completion and the determinant correction.
  Poses truth = test::standing_pose();
  for (int64_t j = 0; j < kJoints; ++j) truth.joint(0, j)[2] = 0;
  Poses mirrored = truth;
  for (int64_t j = 0; j < kJoints; ++j) mirrored.joint(0, j)[0] = -mirrored.joint(0, j)[0];
  BOOST_TEST(procrustes_error(mirrored.joint(0, 0), truth.joint(0, 0)) < 1e-3);
}

BOOST_AUTO_TEST_CASE(no_nearby_rotation_or_scale_fits_better) {
  const Poses truth = test::standing_pose();
  std::mt19937 rng(3);
  std::normal_distribution<float> noise(0, 40);
  Poses prediction = test::transformed(truth, test::axis_angle(0, 0.6, 0.8, 2.0), 0.8, {10, 20, 30});
  for (float& v : prediction.xyz) v += noise(rng);
  std::array<double, kJoints * 3> aligned;
  align_similarity(prediction.joint(0, 0), truth.joint(0, 0), aligned.data());
  const double best = squared_error(aligned.data(), truth.joint(0, 0));
  // Perturb the aligned pose about its centroid: small rotations, scalings, shifts.
  Poses as_pose{1, std::vector<float>(aligned.begin(), aligned.end())};
  for (double angle : {-0.02, 0.02})
    for (auto axis : {std::array<double, 3>{1, 0, 0}, {0, 1, 0}, {0, 0, 1}})
      for (double scale : {0.98, 1.0, 1.02}) {
        Poses moved = test::transformed(as_pose, test::axis_angle(axis[0], axis[1], axis[2], angle), scale, {0, 0, 0});
        // Re-centre on the aligned pose's centroid, the optimal translation for fixed R and a.
        double shift[3] = {0, 0, 0};
        for (int64_t j = 0; j < kJoints; ++j)
          for (int c = 0; c < 3; ++c) shift[c] += (aligned[j * 3 + c] - moved.joint(0, j)[c]) / kJoints;
        std::array<double, kJoints * 3> candidate;
        for (int64_t j = 0; j < kJoints; ++j)
          for (int c = 0; c < 3; ++c) candidate[j * 3 + c] = moved.joint(0, j)[c] + shift[c];
        BOOST_TEST(squared_error(candidate.data(), truth.joint(0, 0)) >= best * (1 - 1e-6));
      }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::eval
