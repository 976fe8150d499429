// Where each frame's image size comes from (spec 6.2).
#include <boost/test/unit_test.hpp>
#include <vector>

#include "datasets/image_size.h"
#include "expect_error.h"
#include "split_builder.h"

namespace kasf::data {
namespace {

using testing::expect_error;
using testing::make_split;

BOOST_AUTO_TEST_SUITE(image_size)

BOOST_AUTO_TEST_CASE(from_res_w_and_res_h) {
  // Resolutions win over camera names (H36M files have both, with camera ids as names).
  const SplitData split = make_split({.video_lengths = {2, 3}, .cameras = {"54138969", "60457274"},
                                      .resolutions = {{1000, 1002}, {640, 480}}});
  const std::vector<ImageSize> sizes = frame_image_sizes(split, "train", std::nullopt);
  const std::vector<ImageSize> expected = {{1000, 1002}, {1000, 1002}, {640, 480}, {640, 480}, {640, 480}};
  BOOST_TEST((sizes == expected));
}

BOOST_AUTO_TEST_CASE(from_sportspose_camera_names) {
  const SplitData split = make_split({.video_lengths = {1, 2}, .cameras = {"indoors", "outdoors"}});
  const std::vector<ImageSize> expected = {{1216, 1936}, {1312, 1216}, {1312, 1216}};
  BOOST_TEST((frame_image_sizes(split, "test", std::nullopt) == expected));
}

BOOST_AUTO_TEST_CASE(worldpose_size_without_either) {
  const SplitData split = make_split({.video_lengths = {3}});
  BOOST_TEST((frame_image_sizes(split, "train", std::nullopt) == std::vector<ImageSize>(3, ImageSize{1920, 1080})));
}

BOOST_AUTO_TEST_CASE(explicit_size_overrides_everything) {
  const SplitData split = make_split({.video_lengths = {2}, .cameras = {"court"}, .resolutions = {{10, 10}}});
  BOOST_TEST((frame_image_sizes(split, "train", ImageSize{800, 600}) == std::vector<ImageSize>(2, ImageSize{800, 600})));
  expect_error([&] { frame_image_sizes(split, "train", ImageSize{0, 600}); }, {"not positive"});
}

BOOST_AUTO_TEST_CASE(unknown_camera_name_is_an_error_naming_it) {
  const SplitData split = make_split({.video_lengths = {2, 2}, .cameras = {"outdoors", "court 3"}});
  expect_error([&] { frame_image_sizes(split, "test", std::nullopt); }, {"test/camera_name", "frame 2", "'court 3'"});
}

BOOST_AUTO_TEST_CASE(half_a_resolution_is_an_error) {
  SplitData split = make_split({.video_lengths = {2}, .resolutions = {{640, 480}}});
  split.arrays.erase("res_h");
  expect_error([&] { frame_image_sizes(split, "train", std::nullopt); }, {"train", "res_h"});
  split = make_split({.video_lengths = {2}, .resolutions = {{640, 480}}});
  split.arrays["res_w"].shape = {1, 2};
  expect_error([&] { frame_image_sizes(split, "train", std::nullopt); }, {"train/res_w", "(1, 2)"});
  split = make_split({.video_lengths = {2}, .resolutions = {{0, 480}}});
  expect_error([&] { frame_image_sizes(split, "train", std::nullopt); }, {"frame 0", "0.0"});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::data
