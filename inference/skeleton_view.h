// Drawing an H36M-17 skeleton: bones as lines coloured by body side (the subject's left blue, right
// red, spine and head grey), joints as dots; and the fixed orthographic view of a 3D pose.
#pragma once
#include <array>

#include "reporting/raster.h"

namespace kasf::inference {

// 17 points in image pixels (x right, y down).
using ScreenPose = std::array<std::array<double, 2>, 17>;

// A 3D pose (17 x 3: x image right, y image down, z away from the camera) seen by an orthographic
// camera turned `azimuth_deg` about the vertical (y) axis and then tilted down by `elevation_deg`;
// units unchanged, the origin stays at the origin.
ScreenPose orthographic_view(const float* xyz, double azimuth_deg, double elevation_deg);

// Points at (origin + scale * p) in `image`. Joints marked `uncertain` (confidence 0: filled gaps)
// are drawn as hollow grey squares.
void draw_skeleton(reporting::Image& image, const ScreenPose& pose, std::array<double, 2> origin, double scale,
                   const std::array<bool, 17>& uncertain = {});

}  // namespace kasf::inference
