// --render: one PNG per frame of the documented size, and the animation only when ffmpeg is found
// (a stand-in ffmpeg script records how it is called).
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>
#include <fstream>

#include "tests/support/scratch_dir.h"
#include "infer_tool.h"

namespace kasf::inference::test {
namespace {

using kasf::test::ScratchDir;

// Width and height from a PNG's IHDR chunk (big-endian at bytes 16 and 20), after checking the
// signature and the chunk type.
std::pair<uint32_t, uint32_t> png_size(const std::string& path) {
  const std::string bytes = kasf::test::read_file(path);
  BOOST_REQUIRE_GE(bytes.size(), 24u);
  BOOST_REQUIRE(bytes.substr(0, 8) == "\x89PNG\r\n\x1a\n");
  BOOST_REQUIRE(bytes.substr(12, 4) == "IHDR");
  const auto big_endian = [&](size_t at) {
    uint32_t value = 0;
    for (size_t i = 0; i < 4; ++i) value = value << 8 | static_cast<unsigned char>(bytes[at + i]);
    return value;
  };
  return {big_endian(16), big_endian(20)};
}

BOOST_AUTO_TEST_SUITE(render)

BOOST_AUTO_TEST_CASE(writes_one_png_per_frame_and_says_when_ffmpeg_is_missing) {
  ScratchDir dir;
  const std::string frames = dir.file("frames");
  BOOST_REQUIRE_EQUAL(run_infer(sample_arguments(dir.file("poses.h5"), "--render " + frames), dir.file("log"),
                                dir.file("no-such-folder")),
                      0);
  size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(frames)) {
    ++count;
    const std::string name = entry.path().filename().string();
    BOOST_TEST((name.starts_with("frame_") && name.ends_with(".png")), name);
    BOOST_TEST((png_size(entry.path().string()) == std::pair<uint32_t, uint32_t>{720, 360}), name);
  }
  BOOST_TEST(count == static_cast<size_t>(kSampleFrames));
  BOOST_TEST(std::filesystem::exists(std::filesystem::path(frames) / "frame_00040.png"));
  BOOST_TEST(kasf::test::read_file(dir.file("log")).find("ffmpeg is not installed") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(makes_the_animation_with_ffmpeg_from_path) {
  ScratchDir dir;
  std::filesystem::create_directory(dir.file("bin"));
  const std::string fake = dir.file("bin/ffmpeg");
  std::ofstream(fake) << "#!/bin/sh\necho \"$@\" > " << dir.file("ffmpeg-arguments")
                      << "\nfor last; do :; done\necho video > \"$last\"\n";
  ::chmod(fake.c_str(), 0755);
  const std::string frames = dir.file("frames");
  BOOST_REQUIRE_EQUAL(
      run_infer(sample_arguments(dir.file("poses.h5"), "--fps 30 --render " + frames), dir.file("log"), dir.file("bin")),
      0);
  BOOST_TEST(kasf::test::read_file(frames + "/animation.mp4") == "video\n");
  const std::string arguments = kasf::test::read_file(dir.file("ffmpeg-arguments"));
  BOOST_TEST(arguments.find("-framerate 30") != std::string::npos, arguments);
  BOOST_TEST(arguments.find(frames + "/frame_%05d.png") != std::string::npos, arguments);
  BOOST_TEST(kasf::test::read_file(dir.file("log")).find("animation.mp4 at 30 fps") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::inference::test
