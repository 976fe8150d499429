#include "keypoints/gap_filling.h"

#include <cmath>
#include <stdexcept>
#include <vector>

namespace kasf::keypoints {

bool is_missing(const float* keypoint) {
  return !std::isfinite(keypoint[0]) || !std::isfinite(keypoint[1]) || !std::isfinite(keypoint[2]) || keypoint[2] <= 0;
}

int64_t fill_missing_keypoints(KeypointSequence& sequence, const std::string& source) {
  int64_t missing = 0;
  for (int64_t j = 0; j < kKeypoints; ++j) {
    std::vector<int64_t> valid;
    for (int64_t t = 0; t < sequence.frames; ++t)
      if (!is_missing(sequence.keypoint(t, j))) valid.push_back(t);
    if (valid.size() == static_cast<size_t>(sequence.frames)) continue;
    if (valid.empty())
      throw std::invalid_argument(source + ": keypoint " + std::to_string(j) + " is missing in all " +
                                  std::to_string(sequence.frames) + " frames");
    size_t next = 0;  // index in `valid` of the first valid frame at or after t
    for (int64_t t = 0; t < sequence.frames; ++t) {
      while (next < valid.size() && valid[next] < t) ++next;
      if (next < valid.size() && valid[next] == t) continue;
      ++missing;
      const int64_t after = next < valid.size() ? valid[next] : valid.back();
      const int64_t before = next > 0 ? valid[next - 1] : valid.front();
      const double w = after == before ? 0.0 : static_cast<double>(t - before) / static_cast<double>(after - before);
      float* k = sequence.keypoint(t, j);
      for (int c = 0; c < 2; ++c)
        k[c] = static_cast<float>((1 - w) * sequence.keypoint(before, j)[c] + w * sequence.keypoint(after, j)[c]);
      k[2] = 0;
    }
  }
  return missing;
}

}  // namespace kasf::keypoints
