#include "pose_builders.h"

#include <cmath>

namespace kasf::eval::test {

Poses standing_pose(int64_t frames) {
  static constexpr float joints[kJoints][3] = {
      {0, 0, 0},        {-130, 10, 5},   {-140, 450, 40},  {-150, 880, 20},  {130, -10, -5},   {135, 445, 30},
      {150, 870, 60},   {10, -230, 15},  {5, -480, 20},    {12, -560, -40},  {0, -650, -20},   {170, -450, 10},
      {300, -220, 35},  {380, 20, 90},   {-165, -455, 5},  {-290, -210, -30}, {-360, 30, -80}};
  Poses p{frames, {}};
  for (int64_t t = 0; t < frames; ++t)
    for (const auto& j : joints)
      for (int c = 0; c < 3; ++c) p.xyz.push_back(j[c] + 3.0f * t * (c + 1));
  return p;
}

Rotation axis_angle(double x, double y, double z, double angle) {
  const double c = std::cos(angle), s = std::sin(angle), k = 1 - c;
  return {{{c + x * x * k, x * y * k - z * s, x * z * k + y * s},
           {y * x * k + z * s, c + y * y * k, y * z * k - x * s},
           {z * x * k - y * s, z * y * k + x * s, c + z * z * k}}};
}

Poses transformed(const Poses& poses, const Rotation& r, double scale, std::array<double, 3> t) {
  Poses out = poses;
  for (int64_t f = 0; f < poses.frames; ++f)
    for (int64_t j = 0; j < kJoints; ++j)
      for (int c = 0; c < 3; ++c) {
        double v = t[c];
        for (int k = 0; k < 3; ++k) v += scale * poses.joint(f, j)[k] * r[k][c];
        out.joint(f, j)[c] = static_cast<float>(v);
      }
  return out;
}

}  // namespace kasf::eval::test
