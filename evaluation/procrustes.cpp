#include "evaluation/procrustes.h"

#include <array>
#include <cmath>

#include "evaluation/skeleton.h"
#include "evaluation/svd3.h"

namespace kasf::eval {
namespace {

using Pose = std::array<std::array<double, 3>, kJoints>;

// Centres a pose on its joint mean and scales it to unit Frobenius norm; returns the mean and norm.
Pose centred_unit(const float* pose, std::array<double, 3>& mean, double& norm) {
  mean = {0, 0, 0};
  for (int j = 0; j < kJoints; ++j)
    for (int c = 0; c < 3; ++c) mean[c] += pose[j * 3 + c] / static_cast<double>(kJoints);
  Pose out;
  norm = 0;
  for (int j = 0; j < kJoints; ++j)
    for (int c = 0; c < 3; ++c) {
      out[j][c] = pose[j * 3 + c] - mean[c];
      norm += out[j][c] * out[j][c];
    }
  norm = std::sqrt(norm);
  // A pose collapsed to a point has no orientation; leave it centred at zero.
  if (norm > 0)
    for (auto& p : out)
      for (double& x : p) x /= norm;
  return out;
}

}  // namespace

void align_similarity(const float* prediction, const float* truth, double* aligned) {
  std::array<double, 3> mean_p, mean_g;
  double norm_p, norm_g;
  const Pose p0 = centred_unit(prediction, mean_p, norm_p);
  const Pose g0 = centred_unit(truth, mean_g, norm_g);

  Mat3 h{};  // G0^T P0
  for (int j = 0; j < kJoints; ++j)
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) h[r][c] += g0[j][r] * p0[j][c];
  Svd3 svd = svd3(h);
  Mat3 rotation = multiply(svd.v, transpose(svd.u));
  if (determinant(rotation) < 0) {  // a reflection: flip the least significant axis instead
    for (int r = 0; r < 3; ++r) svd.v[r][2] = -svd.v[r][2];
    svd.s[2] = -svd.s[2];
    rotation = multiply(svd.v, transpose(svd.u));
  }
  const double scale = norm_p > 0 ? (svd.s[0] + svd.s[1] + svd.s[2]) * norm_g / norm_p : 0;

  // aligned = scale * (P - mean_p) R + mean_g, the spec's a P R + t with t = mean_g - a mean_p R.
  for (int j = 0; j < kJoints; ++j)
    for (int c = 0; c < 3; ++c) {
      double rotated = 0;
      for (int k = 0; k < 3; ++k) rotated += (prediction[j * 3 + k] - mean_p[k]) * rotation[k][c];
      aligned[j * 3 + c] = scale * rotated + mean_g[c];
    }
}

double procrustes_error(const float* prediction, const float* truth) {
  std::array<double, kJoints * 3> aligned;
  align_similarity(prediction, truth, aligned.data());
  double sum = 0;
  for (int j = 0; j < kJoints; ++j) {
    double squared = 0;
    for (int c = 0; c < 3; ++c) {
      const double d = aligned[j * 3 + c] - truth[j * 3 + c];
      squared += d * d;
    }
    sum += std::sqrt(squared);
  }
  return sum / kJoints;
}

}  // namespace kasf::eval
