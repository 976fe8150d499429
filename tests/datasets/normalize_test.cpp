// Normalisation (spec 6.2) against values worked out by hand.
#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <vector>

#include "datasets/normalize.h"

namespace kasf::data {
namespace {

BOOST_AUTO_TEST_SUITE(normalize)

BOOST_AUTO_TEST_CASE(divides_both_axes_by_the_width) {
  const ImageSize size{1000, 500};
  // Image corners and centre: x spans [-1, 1], y spans [-h/w, h/w] = [-0.5, 0.5].
  BOOST_TEST(normalize_x(0, size) == -1.0f);
  BOOST_TEST(normalize_x(1000, size) == 1.0f);
  BOOST_TEST(normalize_x(500, size) == 0.0f);
  BOOST_TEST(normalize_y(0, size) == -0.5f);
  BOOST_TEST(normalize_y(500, size) == 0.5f);
  BOOST_TEST(normalize_y(250, size) == 0.0f);
  // Depth has no offset: 2 * 250 / 1000.
  BOOST_TEST(normalize_depth(250, size) == 0.5f);
  BOOST_TEST(normalize_depth(-100, size) == -0.2f);
}

BOOST_AUTO_TEST_CASE(sportspose_indoor_frame) {
  // Indoors: w = 1216, h = 1936 -> y' = y / 608 - 1936 / 1216.
  const ImageSize indoors{1216, 1936};
  std::vector<float> point = {304, 1216, 60.8f};
  normalize_points(point, indoors);
  BOOST_TEST(point[0] == -0.5f, boost::test_tools::tolerance(1e-6f));
  BOOST_TEST(point[1] == 2.0f - 1936.0f / 1216.0f, boost::test_tools::tolerance(1e-6f));
  BOOST_TEST(point[2] == 0.1f, boost::test_tools::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(denormalize_inverts_normalize) {
  const ImageSize sizes[] = {{1920, 1080}, {1312, 1216}, {1216, 1936}, {1000, 1002}};
  const std::vector<float> pixels = {0, 0, 0, 17.25f, 933.5f, -41.0f, 1919.9f, 1935.0f, 512.0f};
  for (const ImageSize& size : sizes) {
    std::vector<float> values = pixels;
    normalize_points(values, size);
    denormalize_points(values, size);
    for (size_t i = 0; i < pixels.size(); ++i) BOOST_TEST(values[i] == pixels[i], boost::test_tools::tolerance(1e-4f));
  }
}

BOOST_AUTO_TEST_CASE(denormalize_matches_the_spec_formula) {
  const ImageSize size{1312, 1216};
  std::vector<float> values = {0.25f, -0.5f, 0.125f};
  denormalize_points(values, size);
  BOOST_TEST(values[0] == (0.25f + 1) * 656, boost::test_tools::tolerance(1e-6f));
  BOOST_TEST(values[1] == (-0.5f + 1216.0f / 1312.0f) * 656, boost::test_tools::tolerance(1e-6f));
  BOOST_TEST(values[2] == 0.125f * 656, boost::test_tools::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(rejects_partial_points) {
  std::vector<float> values(4);
  BOOST_CHECK_THROW(normalize_points(values, {100, 100}), std::invalid_argument);
  BOOST_CHECK_THROW(denormalize_points(values, {100, 100}), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::data
