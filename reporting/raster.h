// A small RGB raster with the drawing primitives the training-curve plot needs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace kasf::reporting {

struct Color {
  uint8_t r, g, b;
};

class Image {
 public:
  Image(int width, int height, Color background);
  int width() const { return width_; }
  int height() const { return height_; }
  const std::vector<uint8_t>& rgb() const { return rgb_; }  // row-major, 3 bytes per pixel

  void set(int x, int y, Color color);  // ignores pixels outside the image
  void fill_rect(int x0, int y0, int x1, int y1, Color color);  // inclusive corners
  // A line `thickness` pixels wide (Bresenham with a square pen).
  void line(int x0, int y0, int x1, int y1, Color color, int thickness = 1);
  // Text in the built-in 5x7 font, each font pixel `scale` pixels; (x, y) is the top left corner.
  // Lower-case letters are drawn as capitals; characters without a glyph as '?'.
  void text(int x, int y, const std::string& text, Color color, int scale = 1);
  static int text_width(const std::string& text, int scale = 1);
  static int text_height(int scale = 1);

 private:
  int width_, height_;
  std::vector<uint8_t> rgb_;
};

}  // namespace kasf::reporting
