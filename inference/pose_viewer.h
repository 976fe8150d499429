// The interactive pose viewer page (kasf_infer --html, kasf_view): root-relative 3D poses with an
// orbit camera, ground grid and trails, the 2D input beside them when known, and the knee/elbow
// angles and wrist/ankle speeds as plots whose cursor follows the shown frame
// (reporting/html/pose_viewer.js). Open OUT.html#frame=k&view=front for frame k seen from the front.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "datasets/normalize.h"
#include "keypoints/keypoint_sequence.h"
#include "keypoints/pose_output.h"

namespace kasf::inference {

struct PoseViewerInput {
  std::string title;
  std::string description;  // a line under the title: source file, units, axes
  keypoints::PoseOutput poses;  // root-relative (the viewer's origin is the pelvis)
  // H36M-17 pixels of the video the poses were lifted from; empty (frames 0) when unknown.
  keypoints::KeypointSequence keypoints_2d;
  data::ImageSize image;
};

// Throws std::invalid_argument when the 2D keypoints and the poses differ in frame count.
void write_pose_viewer(const std::string& path, const PoseViewerInput& input);

}  // namespace kasf::inference
