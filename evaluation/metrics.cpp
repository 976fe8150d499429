#include "evaluation/metrics.h"

#include <cmath>

#include "evaluation/procrustes.h"

namespace kasf::eval {
namespace {

double distance(const float* a, const float* b, double scale_a = 1) {
  double squared = 0;
  for (int c = 0; c < 3; ++c) {
    const double d = scale_a * a[c] - b[c];
    squared += d * d;
  }
  return std::sqrt(squared);
}

}  // namespace

double scale_normalised_error(const float* prediction, const float* truth) {
  double cross = 0, power = 0;
  for (int i = 0; i < kJoints * 3; ++i) {
    cross += static_cast<double>(truth[i]) * prediction[i];
    power += static_cast<double>(prediction[i]) * prediction[i];
  }
  const double scale = power > 0 ? cross / power : 0;
  double sum = 0;
  for (int j = 0; j < kJoints; ++j) sum += distance(prediction + j * 3, truth + j * 3, scale);
  return sum / kJoints;
}

std::vector<double> acceleration_errors(const Poses& prediction, const Poses& truth) {
  check_same_shape(prediction, truth);
  std::vector<double> errors;
  for (int64_t t = 0; t + 2 < prediction.frames; ++t) {
    double sum = 0;
    for (int64_t j = 0; j < kJoints; ++j) {
      double squared = 0;
      for (int c = 0; c < 3; ++c) {
        auto second_difference = [&](const Poses& p) {
          return static_cast<double>(p.joint(t, j)[c]) - 2.0 * p.joint(t + 1, j)[c] + p.joint(t + 2, j)[c];
        };
        const double d = second_difference(prediction) - second_difference(truth);
        squared += d * d;
      }
      sum += std::sqrt(squared);
    }
    errors.push_back(sum / kJoints);
  }
  return errors;
}

ClipErrors evaluate_clip(const Poses& prediction, const Poses& truth) {
  check_same_shape(prediction, truth);
  ClipErrors out;
  for (int64_t t = 0; t < prediction.frames; ++t) {
    double sum = 0;
    for (int64_t j = 0; j < kJoints; ++j) {
      const double e = distance(prediction.joint(t, j), truth.joint(t, j));
      out.joint_errors.push_back(e);
      sum += e;
    }
    out.mpjpe.push_back(sum / kJoints);
    out.p_mpjpe.push_back(procrustes_error(prediction.joint(t, 0), truth.joint(t, 0)));
    out.n_mpjpe.push_back(scale_normalised_error(prediction.joint(t, 0), truth.joint(t, 0)));
  }
  out.acceleration = acceleration_errors(prediction, truth);
  return out;
}

}  // namespace kasf::eval
