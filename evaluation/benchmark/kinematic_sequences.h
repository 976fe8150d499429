// Whole test sequences for the kinematic analysis. Test clips do not overlap, so the consecutive
// window clips of a video join into one evenly sampled sequence. Resampled clips (videos shorter
// than a clip, WorldPose tails) repeat frames and are left out: their time axis is not uniform.
#pragma once
#include <string>
#include <vector>

#include "evaluation/benchmark/clip_predictions.h"

namespace kasf::eval {

struct KinematicSequence {
  std::string action;
  double fps = 0;           // the clips' rate: the frames' own (AthletePose3D's per-frame `fps`) over the
                            // frame step; 0: unknown
  int64_t first_frame = 0;  // in the test split
  Poses predicted_mm;       // root-relative
  Poses truth_mm;
};

// In test-split order; consecutive window clips of the same video (each starting a frame step after
// the previous one's end) form one sequence.
std::vector<KinematicSequence> window_sequences(const ClipPredictions& predictions, const TestClips& clips);

}  // namespace kasf::eval
