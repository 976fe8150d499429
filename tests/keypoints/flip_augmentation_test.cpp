// Flip test-time augmentation: the mean of the plain pass and the flipped-back flipped pass.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "keypoints/flip_augmentation.h"

namespace kasf::keypoints {
namespace {

// Spec 5.2 written out independently: x negated, [1,2,3,14,15,16] <-> [4,5,6,11,12,13].
std::vector<float> mirrored(const std::vector<float>& poses) {
  const int partner[17] = {0, 4, 5, 6, 1, 2, 3, 7, 8, 9, 10, 14, 15, 16, 11, 12, 13};
  std::vector<float> out(poses.size());
  for (size_t p = 0; p < poses.size() / 51; ++p)
    for (int j = 0; j < 17; ++j)
      for (int c = 0; c < 3; ++c) {
        const float v = poses[p * 51 + partner[j] * 3 + c];
        out[p * 51 + j * 3 + c] = c == 0 ? -v : v;
      }
  return out;
}

BOOST_AUTO_TEST_SUITE(flip_augmentation)

BOOST_AUTO_TEST_CASE(equals_the_mean_of_the_two_passes) {
  // A predictor with no left-right symmetry, depending on several joints and channels.
  const ClipPredictor f = [](const std::vector<float>& x, int64_t) {
    std::vector<float> y(x.size());
    for (size_t i = 0; i < x.size(); ++i) y[i] = x[i] * (1 + static_cast<float>(i % 51) / 10) + 0.3f * x[(i + 5) % x.size()] * x[i];
    return y;
  };
  std::vector<float> input;
  for (int i = 0; i < 2 * 27 * 51; ++i) input.push_back(std::sin(0.37f * i) * 2);
  const std::vector<float> original = input;
  const std::vector<float> plain = f(input, 2);
  const std::vector<float> flipped_back = mirrored(f(mirrored(input), 2));
  const std::vector<float> tta = with_flip_augmentation(f, 3, 3)(input, 2);
  BOOST_REQUIRE(tta.size() == plain.size());
  for (size_t i = 0; i < tta.size(); ++i)
    BOOST_TEST(tta[i] == (plain[i] + flipped_back[i]) / 2, boost::test_tools::tolerance(1e-5f));
  BOOST_TEST(input == original, boost::test_tools::per_element());  // the input is not flipped in place
  // The official demo's bug, (f(flip X) + flipback(f(flip X))) / 2, differs.
  const std::vector<float> flipped_pass = f(mirrored(input), 2);
  double difference = 0;
  for (size_t i = 0; i < tta.size(); ++i) difference += std::abs(tta[i] - (flipped_pass[i] + flipped_back[i]) / 2);
  BOOST_TEST(difference > 1.0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::keypoints
