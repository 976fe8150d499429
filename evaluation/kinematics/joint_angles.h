// Included joint angles of H36M-17 poses (AthletePose3D kinematic validation, extended).
//
// Each angle is the unsigned angle between two segment vectors u = p[u_to] - p[u_from] and
// v = p[v_to] - p[v_from], arccos(u.v / |u||v|) in degrees in [0, 180]. For a joint B between
// neighbours A and C the vectors are B->A and B->C, so 180 means a straight limb:
//   right/left knee:      hip -> knee -> ankle         (1,2,3) / (4,5,6)   [AthletePose3D]
//   right/left elbow:     shoulder -> elbow -> wrist   (14,15,16) / (11,12,13) [AthletePose3D]
//   right/left hip:       trunk (pelvis 0 -> thorax 8) against thigh (hip -> knee);
//                         180 standing straight, smaller in flexion
//   right/left shoulder:  trunk downwards (thorax 8 -> pelvis 0) against the upper arm
//                         (shoulder -> elbow); 0 with the arm along the body, 180 raised overhead
//   trunk:                pelvis 0 -> spine 7 -> thorax 8 at the spine; 180 with a straight back
// All are invariant to the camera's axes. Frames where a segment has zero length give NaN.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "evaluation/poses.h"

namespace kasf::eval {

struct AngleDefinition {
  std::string name;
  int64_t u_from, u_to, v_from, v_to;
};

// The nine angles above: the AthletePose3D four first, then hips, shoulders and trunk.
std::span<const AngleDefinition> joint_angle_definitions();

// One value per frame, in degrees.
std::vector<double> joint_angle_series(const Poses& poses, const AngleDefinition& angle);

}  // namespace kasf::eval
