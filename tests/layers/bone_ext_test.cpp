// BoneExt against a direct per-bone computation on the host, including degenerate (zero) bones.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/ops.h"
#include "layers/bone_ext.h"
#include "layers/init.h"

using namespace kasf;

namespace {

constexpr int kParent[17] = {-1, 0, 1, 2, 0, 4, 5, 0, 7, 8, 9, 8, 11, 12, 8, 14, 15};

// Expected (17, 3) tokens of one frame given its joints (17, 3).
std::vector<double> reference_frame(const float* joints) {
  std::vector<double> out(17 * 3, 0.0);
  for (int b = 0; b < 16; ++b) {
    const int child = b + 1, parent = kParent[child];
    const double vx = joints[parent * 3] - joints[child * 3], vy = joints[parent * 3 + 1] - joints[child * 3 + 1];
    double length = std::sqrt(vx * vx + vy * vy);
    if (length == 0.0) length = 1.0;
    const double token[3] = {vx / length, vy / length, length};
    for (int c = 0; c < 3; ++c) {
      out[b * 3 + c] = token[c];
      out[16 * 3 + c] += token[c] / 16.0;
    }
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bone_ext)

BOOST_AUTO_TEST_CASE(matches_direct_computation) {
  Generator generator(4);
  Tensor joints = uniform_tensor({2, 3, 17, 3}, 1.0f, generator);
  std::vector<float> x = joints.to_vector();
  // Frame 0 of clip 1: the right knee sits on the right hip, a zero-length bone (b = 1).
  for (int c = 0; c < 2; ++c) x[(3 + 0) * 51 + 2 * 3 + c] = x[(3 + 0) * 51 + 1 * 3 + c];
  joints = Tensor::from_vector(joints.shape(), x);
  std::vector<float> got = bone_features(joints).to_vector();
  BOOST_REQUIRE_EQUAL(got.size(), x.size());
  for (int frame = 0; frame < 6; ++frame) {
    std::vector<double> expected = reference_frame(&x[frame * 51]);
    for (int i = 0; i < 51; ++i) BOOST_TEST(got[frame * 51 + i] == expected[i], boost::test_tools::tolerance(1e-5));
  }
  // The degenerate bone: direction (0, 0), length 1.
  BOOST_TEST(got[3 * 51 + 1 * 3 + 0] == 0.0f);
  BOOST_TEST(got[3 * 51 + 1 * 3 + 1] == 0.0f);
  BOOST_TEST(got[3 * 51 + 1 * 3 + 2] == 1.0f);
}

BOOST_AUTO_TEST_CASE(ignores_confidence_and_gives_finite_gradients_at_zero_bones) {
  Tensor joints = Tensor::zeros({1, 1, 17, 3}).set_requires_grad(true);  // every bone has length 0
  Tensor bones = bone_features(joints);
  sum(mul(bones, bones)).backward();
  for (float g : joints.grad().to_vector()) BOOST_TEST(std::isfinite(g));
  std::vector<float> grad = joints.grad().to_vector();
  for (int j = 0; j < 17; ++j) BOOST_TEST(grad[j * 3 + 2] == 0.0f);  // confidence unused
}

BOOST_AUTO_TEST_CASE(rejects_other_layouts) {
  BOOST_CHECK_THROW(bone_features(Tensor::zeros({1, 2, 16, 3})), ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()
