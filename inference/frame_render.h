// PNG frames of a lifting result: on the left the 2D input keypoints (H36M-17, the image's extent
// letterboxed into the panel, filled gaps drawn as hollow grey squares), on the right the 3D pose
// from a fixed orthographic view at the same scale in every frame (skeleton_view.h).
#pragma once
#include <cstdint>
#include <string>

#include "datasets/normalize.h"
#include "keypoints/keypoint_sequence.h"
#include "keypoints/pose_output.h"

namespace kasf::inference {

struct RenderOptions {
  int panel_size = 360;  // each panel is square; a frame is 2 * panel_size x panel_size pixels
  double azimuth_deg = 30, elevation_deg = 15;
};

// The frames' file names in the render folder, printf-style (ffmpeg reads the same pattern).
inline constexpr const char* kFrameFilePattern = "frame_%05d.png";
std::string frame_file_name(int64_t frame);

// Writes one PNG per frame into `dir` (created if needed). Throws std::invalid_argument when the
// keypoints and poses differ in frame count or the panel is smaller than 64 pixels.
void render_frames(const std::string& dir, const keypoints::KeypointSequence& h36m, data::ImageSize image,
                   const keypoints::PoseOutput& poses, const RenderOptions& options = {});

}  // namespace kasf::inference
