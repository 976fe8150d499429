#include "reporting/page_data.h"

#include <algorithm>
#include <cmath>

namespace kasf::reporting {

double largest_magnitude(std::span<const float> values) {
  double largest = 0;
  for (float v : values)
    if (std::isfinite(v)) largest = std::max(largest, std::abs(static_cast<double>(v)));
  return largest > 0 ? largest : 1;
}

double rounding_step(double extent) {
  return std::pow(10.0, std::floor(std::log10(extent > 0 && std::isfinite(extent) ? extent : 1.0)) - 4);
}

nlohmann::ordered_json point_frames(const float* values, int64_t frames, int64_t points, int channels, double step) {
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (int64_t t = 0; t < frames; ++t) {
    nlohmann::ordered_json frame = nlohmann::ordered_json::array();
    for (int64_t p = 0; p < points; ++p) {
      nlohmann::ordered_json point = nlohmann::ordered_json::array();
      for (int c = 0; c < channels; ++c) {
        const double v = values[(t * points + p) * channels + c];
        point.push_back(std::isfinite(v) ? nlohmann::ordered_json(std::round(v / step) * step) : nlohmann::ordered_json());
      }
      frame.push_back(std::move(point));
    }
    all.push_back(std::move(frame));
  }
  return all;
}

}  // namespace kasf::reporting
