// Linear joint speeds (AthletePose3D kinematic validation): not angular velocity.
#pragma once
#include <vector>

#include "evaluation/poses.h"

namespace kasf::eval {

// |p_j(t) - p_j(t-1)| * fps for t = 1 .. frames-1 (frames - 1 values), in the poses' units per second.
std::vector<double> joint_speed_series(const Poses& poses, int64_t joint, double fps);

// Time derivative of a series sampled at `fps`: central differences inside, one-sided at the two
// ends (as numpy.gradient); one value per sample. Used for angular velocity (deg/s) of angle curves.
std::vector<double> time_derivative(const std::vector<double>& series, double fps);

}  // namespace kasf::eval
