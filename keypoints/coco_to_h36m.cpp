#include "keypoints/coco_to_h36m.h"

#include <array>
#include <utility>

namespace kasf::keypoints {
namespace {

// H36M joint <- COCO keypoint for the joints that are plain copies.
constexpr std::array<std::pair<int, int>, 13> kCopies = {{
    {9, 0}, {11, 5}, {14, 6}, {12, 7}, {15, 8}, {13, 9}, {16, 10}, {4, 11}, {1, 12}, {5, 13}, {2, 14}, {6, 15}, {3, 16}}};

struct Point {
  double x, y;
};

}  // namespace

KeypointSequence coco_to_h36m(const KeypointSequence& coco) {
  KeypointSequence h36m{coco.frames, std::vector<float>(coco.values.size())};
  for (int64_t t = 0; t < coco.frames; ++t) {
    auto k = [&](int j) { return Point{coco.keypoint(t, j)[0], coco.keypoint(t, j)[1]}; };
    auto score = [&](int j) { return static_cast<double>(coco.keypoint(t, j)[2]); };
    std::array<Point, kKeypoints> h{};
    std::array<double, kKeypoints> s{};
    for (auto [to, from] : kCopies) {
      h[to] = k(from);
      s[to] = score(from);
    }
    const Point shoulders = {(k(5).x + k(6).x) / 2, (k(5).y + k(6).y) / 2};
    h[10] = {(k(1).x + k(2).x + k(3).x + k(4).x) / 4, k(1).y + k(2).y - k(0).y};
    h[8] = {shoulders.x + (k(0).x - shoulders.x) / 3, shoulders.y + (k(0).y - shoulders.y) / 3};
    h[0] = {(k(11).x + k(12).x) / 2, (k(11).y + k(12).y) / 2};
    h[7] = {(k(5).x + k(6).x + k(11).x + k(12).x) / 4, (k(5).y + k(6).y + k(11).y + k(12).y) / 4};
    // The demo's corrections, in its order (the spine uses the thorax before the thorax moves).
    h[9] = {h[9].x - (h[9].x - shoulders.x) / 4, h[9].y - (h[9].y - shoulders.y) / 4};
    h[7].x += 2 * (h[7].x - (h[0].x + h[8].x) / 2);
    h[8].y -= ((k(1).y + k(2).y) / 2 - k(0).y) * 2 / 3;

    s[0] = (score(11) + score(12)) / 2;
    s[8] = (score(5) + score(6)) / 2;
    s[7] = (s[0] + s[8]) / 2;
    s[10] = (score(1) + score(2) + score(3) + score(4)) / 4;
    for (int j = 0; j < kKeypoints; ++j) {
      float* out = h36m.keypoint(t, j);
      out[0] = static_cast<float>(h[j].x);
      out[1] = static_cast<float>(h[j].y);
      out[2] = static_cast<float>(s[j]);
    }
  }
  return h36m;
}

}  // namespace kasf::keypoints
