// The AthletePose3D kinematic validation (athletepose3d-spec section 6, extended) of one model's
// test sequences against the ground truth, as markdown tables.
//
// Per sequence: the nine joint angles (evaluation/kinematics/joint_angles.h) and the linear speeds
// of the root-relative joints, each low-passed by the zero-phase 8 Hz Butterworth filter at `fps`;
// angular velocity is the time derivative of the filtered angle.
// Per angle (over all sequences) and per limb group (legs 1..6, arms 11..16; speeds):
//  * RMSE of the filtered values (deg, mm/s) and of the angular velocity (deg/s) -- beyond the
//    original, which compares shapes only;
//  * as the original: each curve forward-filled, min-max normalised and time-normalised to 101
//    points; Pearson r over all values of these curves, and the SPM paired t-test (estimate minus
//    truth, two-tailed) with its critical threshold and supra-threshold clusters.
// Then the original's pooling (t_test.py): elbow angles as "arms", knee angles as "legs", beside the
// speed groups. A second table gives the RMSEs per action.
#pragma once
#include <string>
#include <vector>

#include "evaluation/benchmark/kinematic_sequences.h"
#include "evaluation/kinematics/spm_ttest.h"

namespace kasf::eval {

struct KinematicOptions {
  // The frame rate of sequences that carry none (KinematicSequence::fps == 0); the 8 Hz filter
  // needs more than 16.
  double fps = 0;
  SpmOptions spm{};
};

// Throws std::invalid_argument when there is no sequence of at least 3 frames or a sequence's frame
// rate is 16 or less.
std::string kinematic_report(const std::string& name, const std::vector<KinematicSequence>& sequences,
                             const KinematicOptions& options);

}  // namespace kasf::eval
