// COCO -> H36M on a frame worked out by hand from spec 9 step 2.
#include <boost/test/unit_test.hpp>

#include "keypoints/coco_to_h36m.h"

namespace kasf::keypoints {
namespace {

BOOST_AUTO_TEST_SUITE(coco_to_h36m_conversion)

BOOST_AUTO_TEST_CASE(hand_checked_frame) {
  // COCO keypoints: nose, eyes, ears, then shoulders, elbows, wrists, hips, knees, ankles (L, R);
  // keypoint i has score 0.5 + i / 100.
  const float xy[17][2] = {{106, 50}, {96, 46},   {104, 46},  {90, 48},   {110, 48},  {80, 80},
                           {120, 80}, {70, 110},  {130, 110}, {65, 140},  {135, 140}, {92, 150},
                           {114, 150}, {88, 200}, {112, 200}, {87, 250},  {113, 250}};
  KeypointSequence coco{1, {}};
  for (int i = 0; i < 17; ++i) coco.values.insert(coco.values.end(), {xy[i][0], xy[i][1], 0.5f + i / 100.0f});
  const KeypointSequence h = coco_to_h36m(coco);
  // Worked by hand: shoulder midpoint m = (100, 80), hip midpoint (103, 150).
  const float expected[17][3] = {
      {103, 150, 0.615f},     // pelvis = mean(hips); score mean(.61, .62)
      {114, 150, 0.62f},      // RHip = COCO 12
      {112, 200, 0.64f},      // RKnee = 14
      {113, 250, 0.66f},      // RAnkle = 16
      {92, 150, 0.61f},       // LHip = 11
      {88, 200, 0.63f},       // LKnee = 13
      {87, 250, 0.65f},       // LAnkle = 15
      {99.5f, 115, 0.585f},   // spine: mean of shoulders and hips (101.5, 115), x + 2 (101.5 - (103 + 102) / 2)
      {102, 72.666667f, 0.555f},  // thorax: m + (nose - m) / 3 = (102, 70), y - ((46 + 46) / 2 - 50) * 2 / 3
      {104.5f, 57.5f, 0.50f},     // neck: nose - (nose - m) / 4; nose score
      {100, 42, 0.525f},      // head: x = mean of eyes and ears, y = 46 + 46 - 50; mean score of 1..4
      {80, 80, 0.55f},        // LShoulder = 5
      {70, 110, 0.57f},       // LElbow = 7
      {65, 140, 0.59f},       // LWrist = 9
      {120, 80, 0.56f},       // RShoulder = 6
      {130, 110, 0.58f},      // RElbow = 8
      {135, 140, 0.60f}};     // RWrist = 10
  for (int j = 0; j < 17; ++j)
    for (int c = 0; c < 3; ++c)
      BOOST_TEST(h.keypoint(0, j)[c] == expected[j][c], "joint " << j << " channel " << c << boost::test_tools::tolerance(1e-5f));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::keypoints
