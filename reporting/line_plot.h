// A minimal line-plot rasteriser: one panel with a frame, tick labels, a title, a legend and one
// polyline per series (a marker per point, so single points show too).
#pragma once
#include <string>
#include <vector>

#include "reporting/raster.h"

namespace kasf::reporting {

struct Series {
  std::string name;
  Color color;
  std::vector<double> ys;  // one per x; non-finite values (and non-positive ones on a log axis) are gaps
};

struct Panel {
  std::string title;
  std::vector<Series> series;
  bool log_y = false;
};

struct Rect {
  int left, top, right, bottom;
};

// Draws `panel` into `area` of `image` over the x values `xs` (shared by all series).
void draw_panel(Image& image, const Rect& area, const std::vector<double>& xs, const Panel& panel);

}  // namespace kasf::reporting
