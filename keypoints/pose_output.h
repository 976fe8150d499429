// Root-relative 3D poses lifted from keypoints, their units, and the files they are written to.
//
// The model's output is in normalised image units (spec 6.2): multiplying by width / 2 gives pixels
// at the subject's distance (the depth axis shares that scale). A millimetre scale needs one more
// fact, because a monocular image fixes the body's size only up to scale:
//   * the camera's focal length (px) and the subject's distance from the camera (mm):
//     mm = px * distance / focal (the 2.5D factor of the datasets), or
//   * the subject's skeleton height (mm): the median over frames of the chain
//     head (10) - neck (9) - thorax (8) - spine (7) - pelvis (0) plus the mean of the two legs'
//     hip - knee - ankle chains, matched to the given length.
// Without either the poses stay in normalised units, and the file says so.
//
// Axes (all formats state them): x to the image's right, y down the image, z away from the camera;
// the pelvis (joint 0) at the origin in every frame. Joint order H36M-17.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace kasf::keypoints {

inline constexpr const char* kPoseAxes =
    "x: image right, y: image down, z: away from the camera; root-relative (pelvis at the origin)";

struct PoseOutput {
  int64_t frames = 0;
  std::vector<float> xyz;          // frames x 17 x 3, root-relative
  std::string units = "normalised";  // "mm" or "normalised"
  double fps = 0;                  // 0 when unknown
};

// Multiplies normalised poses into millimetres; each throws std::invalid_argument for
// non-positive inputs or (height) a skeleton of zero size.
PoseOutput scale_by_camera(PoseOutput normalised, double image_width, double focal_px, double distance_mm);
PoseOutput scale_by_skeleton_height(PoseOutput normalised, double height_mm);

// The skeleton height defined above, for one frame (17 x 3 values).
double skeleton_height(const float* pose);

// By the file's extension: .json, .csv or .h5/.hdf5 (otherwise std::invalid_argument). Written to a
// temporary file next to `path` and renamed, so a failure leaves no partial output.
void write_poses(const std::string& path, const PoseOutput& poses);

}  // namespace kasf::keypoints
