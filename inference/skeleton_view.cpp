#include "inference/skeleton_view.h"

#include <cmath>
#include <numbers>

#include "layers/skeleton.h"

namespace kasf::inference {
namespace {

constexpr reporting::Color kLeft{40, 90, 220}, kRight{220, 50, 40}, kCentre{70, 70, 70}, kUncertain{170, 170, 170};
constexpr int kBoneWidth = 3, kJointRadius = 3;

// Spec 5.2's sides: left hip, knee, ankle, shoulder, elbow, wrist; their mirror images are right.
bool is_left(int64_t joint) { return (joint >= 4 && joint <= 6) || (joint >= 11 && joint <= 13); }
bool is_right(int64_t joint) { return (joint >= 1 && joint <= 3) || (joint >= 14 && joint <= 16); }

reporting::Color side_colour(int64_t joint) { return is_left(joint) ? kLeft : is_right(joint) ? kRight : kCentre; }

}  // namespace

ScreenPose orthographic_view(const float* xyz, double azimuth_deg, double elevation_deg) {
  const double azimuth = azimuth_deg * std::numbers::pi / 180, elevation = elevation_deg * std::numbers::pi / 180;
  ScreenPose screen;
  for (int j = 0; j < 17; ++j) {
    const double x = xyz[j * 3], y = xyz[j * 3 + 1], z = xyz[j * 3 + 2];
    // Turn about y (the vertical), then tilt about the new x axis so that the camera looks down:
    // points further away appear higher up.
    const double turned_x = x * std::cos(azimuth) - z * std::sin(azimuth);
    const double turned_z = x * std::sin(azimuth) + z * std::cos(azimuth);
    screen[j] = {turned_x, y * std::cos(elevation) - turned_z * std::sin(elevation)};
  }
  return screen;
}

void draw_skeleton(reporting::Image& image, const ScreenPose& pose, std::array<double, 2> origin, double scale,
                   const std::array<bool, 17>& uncertain) {
  const auto pixel = [&](int64_t j, int axis) { return static_cast<int>(std::lround(origin[axis] + scale * pose[j][axis])); };
  for (int64_t j = 1; j < skeleton::kNumJoints; ++j) {
    const int64_t parent = skeleton::kParents[j];
    image.line(pixel(parent, 0), pixel(parent, 1), pixel(j, 0), pixel(j, 1), side_colour(j), kBoneWidth);
  }
  for (int64_t j = 0; j < skeleton::kNumJoints; ++j) {
    const int x = pixel(j, 0), y = pixel(j, 1);
    if (uncertain[j]) {
      const int r = kJointRadius + 1;
      image.fill_rect(x - r, y - r, x + r, y + r, kUncertain);
      image.fill_rect(x - r + 2, y - r + 2, x + r - 2, y + r - 2, {255, 255, 255});
    } else {
      image.fill_rect(x - kJointRadius, y - kJointRadius, x + kJointRadius, y + kJointRadius, side_colour(j));
    }
  }
}

}  // namespace kasf::inference
