#include "evaluation/kinematics/joint_speeds.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace kasf::eval {

std::vector<double> joint_speed_series(const Poses& poses, int64_t joint, double fps) {
  check_shape(poses, "poses");
  if (joint < 0 || joint >= kJoints) throw std::out_of_range("joint " + std::to_string(joint) + " is not in 0..16");
  if (!(fps > 0)) throw std::invalid_argument("frame rate must be positive, got " + std::to_string(fps));
  std::vector<double> speeds;
  for (int64_t t = 1; t < poses.frames; ++t) {
    double squared = 0;
    for (int c = 0; c < 3; ++c) {
      const double d = static_cast<double>(poses.joint(t, joint)[c]) - poses.joint(t - 1, joint)[c];
      squared += d * d;
    }
    speeds.push_back(std::sqrt(squared) * fps);
  }
  return speeds;
}

std::vector<double> time_derivative(const std::vector<double>& series, double fps) {
  if (!(fps > 0)) throw std::invalid_argument("frame rate must be positive, got " + std::to_string(fps));
  const size_t n = series.size();
  std::vector<double> out(n, 0.0);
  if (n < 2) return out;
  out.front() = (series[1] - series[0]) * fps;
  out.back() = (series[n - 1] - series[n - 2]) * fps;
  for (size_t i = 1; i + 1 < n; ++i) out[i] = (series[i + 1] - series[i - 1]) * fps / 2;
  return out;
}

}  // namespace kasf::eval
