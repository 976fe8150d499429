// PNG files decoded independently (chunk walk, CRC check, zlib inflate) give back the pixels.
#include <boost/test/unit_test.hpp>

#include <zlib.h>

#include <cstdint>
#include <vector>

#include "reporting/png_writer.h"
#include "reporting/raster.h"
#include "tests/support/scratch_dir.h"

namespace kasf::reporting {
namespace {

uint32_t be32(const std::string& s, size_t at) {
  return (uint32_t(uint8_t(s[at])) << 24) | (uint32_t(uint8_t(s[at + 1])) << 16) | (uint32_t(uint8_t(s[at + 2])) << 8) |
         uint32_t(uint8_t(s[at + 3]));
}

struct Decoded {
  uint32_t width = 0, height = 0;
  std::vector<uint8_t> rgb;
};

Decoded decode(const std::string& png) {
  BOOST_TEST_REQUIRE(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
  Decoded out;
  std::string idat;
  for (size_t at = 8; at < png.size();) {
    const uint32_t length = be32(png, at);
    const std::string type = png.substr(at + 4, 4);
    const std::string data = png.substr(at + 8, length);
    const uint32_t crc = be32(png, at + 8 + length);
    BOOST_TEST(crc == crc32(0, reinterpret_cast<const Bytef*>(png.data() + at + 4), length + 4));
    if (type == "IHDR") {
      out.width = be32(data, 0);
      out.height = be32(data, 4);
      BOOST_TEST(int(uint8_t(data[8])) == 8);  // bit depth
      BOOST_TEST(int(uint8_t(data[9])) == 2);  // RGB
    }
    if (type == "IDAT") idat += data;
    at += 12 + length;
  }
  std::vector<uint8_t> raw(out.height * (out.width * 3 + 1));
  uLongf size = raw.size();
  BOOST_TEST_REQUIRE(uncompress(raw.data(), &size, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) == Z_OK);
  BOOST_TEST_REQUIRE(size == raw.size());
  for (uint32_t y = 0; y < out.height; ++y) {
    BOOST_TEST(raw[y * (out.width * 3 + 1)] == 0);  // filter type none
    out.rgb.insert(out.rgb.end(), raw.begin() + y * (out.width * 3 + 1) + 1, raw.begin() + (y + 1) * (out.width * 3 + 1));
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(png)

BOOST_AUTO_TEST_CASE(decoded_pixels_equal_the_drawn_ones) {
  Image image(7, 5, {10, 20, 30});
  image.set(0, 0, {255, 0, 0});
  image.set(6, 4, {0, 255, 0});
  image.line(1, 2, 5, 2, {1, 2, 3});
  kasf::test::ScratchDir dir;
  write_png(dir.file("a.png"), image);
  const Decoded decoded = decode(kasf::test::read_file(dir.file("a.png")));
  BOOST_TEST(decoded.width == 7u);
  BOOST_TEST(decoded.height == 5u);
  BOOST_TEST(decoded.rgb == image.rgb());
  // The pixels themselves, by position.
  BOOST_TEST(int(decoded.rgb[0]) == 255);
  BOOST_TEST(int(decoded.rgb[(4 * 7 + 6) * 3 + 1]) == 255);
  BOOST_TEST(int(decoded.rgb[(2 * 7 + 3) * 3 + 2]) == 3);
  BOOST_TEST(int(decoded.rgb[(3 * 7 + 3) * 3 + 2]) == 30);
}

BOOST_AUTO_TEST_CASE(text_is_drawn_in_the_5x7_font) {
  Image image(12, 7, {0, 0, 0});
  image.text(0, 0, "1-", {255, 255, 255});
  // '1': the middle column is lit from row 0 to 6; '-' (at x = 6) lights row 3 only.
  for (int y = 0; y < 7; ++y) BOOST_TEST(int(image.rgb()[(y * 12 + 2) * 3]) == 255);
  BOOST_TEST(int(image.rgb()[(3 * 12 + 6) * 3]) == 255);
  BOOST_TEST(int(image.rgb()[(2 * 12 + 6) * 3]) == 0);
  BOOST_TEST(Image::text_width("1-") == 11);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf::reporting
