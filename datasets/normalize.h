// Pixel <-> normalised screen coordinates (spec 6.2, identical to MotionBERT's readers).
//
// Both axes are divided by the image width, so x lies in [-1, 1] and y in [-h/w, h/w]; depth (already
// in pixel units in `joint3d_image`) is scaled by the same 2/w without an offset.
#pragma once
#include <span>

namespace kasf::data {

struct ImageSize {
  double width = 0;
  double height = 0;
  bool operator==(const ImageSize&) const = default;
};

inline float normalize_x(float x, ImageSize s) { return static_cast<float>(x / s.width * 2 - 1); }
inline float normalize_y(float y, ImageSize s) { return static_cast<float>(y / s.width * 2 - s.height / s.width); }
inline float normalize_depth(float z, ImageSize s) { return static_cast<float>(z / s.width * 2); }

inline float denormalize_x(float x, ImageSize s) { return static_cast<float>((x + 1) * s.width / 2); }
inline float denormalize_y(float y, ImageSize s) { return static_cast<float>((y + s.height / s.width) * s.width / 2); }
inline float denormalize_depth(float z, ImageSize s) { return static_cast<float>(z * s.width / 2); }

// In place over consecutive (x, y, z) points, e.g. a (T, 17, 3) pose of one image size.
void normalize_points(std::span<float> xyz, ImageSize size);
void denormalize_points(std::span<float> xyz, ImageSize size);

}  // namespace kasf::data
