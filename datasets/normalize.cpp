#include "datasets/normalize.h"

#include <stdexcept>
#include <string>

namespace kasf::data {
namespace {

void check_points(std::span<float> xyz, const char* op) {
  if (xyz.size() % 3 != 0)
    throw std::invalid_argument(std::string(op) + ": " + std::to_string(xyz.size()) +
                                " values are not a whole number of (x, y, z) points");
}

}  // namespace

void normalize_points(std::span<float> xyz, ImageSize size) {
  check_points(xyz, "normalize_points");
  for (size_t i = 0; i < xyz.size(); i += 3) {
    xyz[i] = normalize_x(xyz[i], size);
    xyz[i + 1] = normalize_y(xyz[i + 1], size);
    xyz[i + 2] = normalize_depth(xyz[i + 2], size);
  }
}

void denormalize_points(std::span<float> xyz, ImageSize size) {
  check_points(xyz, "denormalize_points");
  for (size_t i = 0; i < xyz.size(); i += 3) {
    xyz[i] = denormalize_x(xyz[i], size);
    xyz[i + 1] = denormalize_y(xyz[i + 1], size);
    xyz[i + 2] = denormalize_depth(xyz[i + 2], size);
  }
}

}  // namespace kasf::data
