// Poses for the evaluation tests: a plausible H36M skeleton in millimetres and rigid transforms.
#pragma once
#include <array>
#include <cstdint>

#include "evaluation/poses.h"

namespace kasf::eval::test {

// One frame of a standing person (17 x 3, mm, root at the origin), distinct in every axis.
Poses standing_pose(int64_t frames = 1);

using Rotation = std::array<std::array<double, 3>, 3>;
// Rotation by `angle` radians about the unit axis (x, y, z) (Rodrigues' formula).
Rotation axis_angle(double x, double y, double z, double angle);
// Every joint p -> scale * p R + t (row vectors, as the spec's Procrustes).
Poses transformed(const Poses& poses, const Rotation& r, double scale, std::array<double, 3> t);

}  // namespace kasf::eval::test
