#include "evaluation/kinematics/joint_angles.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

namespace kasf::eval {

std::span<const AngleDefinition> joint_angle_definitions() {
  static const std::array<AngleDefinition, 9> angles = {{
      {"right_knee", 2, 1, 2, 3},
      {"left_knee", 5, 4, 5, 6},
      {"left_elbow", 12, 11, 12, 13},
      {"right_elbow", 15, 14, 15, 16},
      {"right_hip", 0, 8, 1, 2},
      {"left_hip", 0, 8, 4, 5},
      {"right_shoulder", 8, 0, 14, 15},
      {"left_shoulder", 8, 0, 11, 12},
      {"trunk", 7, 0, 7, 8},
  }};
  return angles;
}

std::vector<double> joint_angle_series(const Poses& poses, const AngleDefinition& angle) {
  check_shape(poses, "poses");
  std::vector<double> degrees;
  degrees.reserve(poses.frames);
  for (int64_t t = 0; t < poses.frames; ++t) {
    double dot = 0, uu = 0, vv = 0;
    for (int c = 0; c < 3; ++c) {
      const double u = static_cast<double>(poses.joint(t, angle.u_to)[c]) - poses.joint(t, angle.u_from)[c];
      const double v = static_cast<double>(poses.joint(t, angle.v_to)[c]) - poses.joint(t, angle.v_from)[c];
      dot += u * v;
      uu += u * u;
      vv += v * v;
    }
    if (uu == 0 || vv == 0) {
      degrees.push_back(std::numeric_limits<double>::quiet_NaN());
      continue;
    }
    const double cosine = std::clamp(dot / std::sqrt(uu * vv), -1.0, 1.0);
    degrees.push_back(std::acos(cosine) * 180 / std::numbers::pi);
  }
  return degrees;
}

}  // namespace kasf::eval
