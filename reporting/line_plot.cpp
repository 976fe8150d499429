#include "reporting/line_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace kasf::reporting {
namespace {

constexpr Color kInk{40, 40, 40}, kGrid{225, 225, 225};
constexpr int kTicks = 5, kMargin = 8;

std::string label(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value + 0.0);  // + 0.0 turns a tick at -0 into 0
  return text;
}

// The value range of the drawable points on the (possibly log10) axis, widened when degenerate.
struct Range {
  double low = std::numeric_limits<double>::infinity(), high = -std::numeric_limits<double>::infinity();
  void include(double v) { low = std::min(low, v); high = std::max(high, v); }
  bool empty() const { return low > high; }
  void widen() {
    if (empty()) { low = 0; high = 1; }
    if (high - low < 1e-12 * std::max(1.0, std::abs(high))) { low -= 0.5; high += 0.5; }
    // A margin so that the extreme points do not sit on the frame.
    const double margin = 0.05 * (high - low);
    low -= margin;
    high += margin;
  }
};

bool drawable(double y, bool log_y) { return std::isfinite(y) && (!log_y || y > 0); }
double axis_value(double y, bool log_y) { return log_y ? std::log10(y) : y; }

}  // namespace

void draw_panel(Image& image, const Rect& area, const std::vector<double>& xs, const Panel& panel) {
  const int text_h = Image::text_height();
  Range x_range, y_range;
  for (double x : xs) x_range.include(x);
  for (const Series& s : panel.series)
    for (size_t i = 0; i < s.ys.size() && i < xs.size(); ++i)
      if (drawable(s.ys[i], panel.log_y)) y_range.include(axis_value(s.ys[i], panel.log_y));
  x_range.widen();
  y_range.widen();

  // The plot box leaves room for the title above and the tick labels left and below.
  int label_width = 0;
  for (int t = 0; t < kTicks; ++t) {
    const double v = y_range.low + (y_range.high - y_range.low) * t / (kTicks - 1);
    label_width = std::max(label_width, Image::text_width(label(panel.log_y ? std::pow(10, v) : v)));
  }
  const Rect box{area.left + label_width + kMargin, area.top + text_h + kMargin, area.right - kMargin,
                 area.bottom - text_h - kMargin};
  auto px = [&](double x) {
    return box.left + static_cast<int>(std::lround((x - x_range.low) / (x_range.high - x_range.low) * (box.right - box.left)));
  };
  auto py = [&](double v) {
    return box.bottom - static_cast<int>(std::lround((v - y_range.low) / (y_range.high - y_range.low) * (box.bottom - box.top)));
  };

  image.text(area.left, area.top, panel.title + (panel.log_y ? " (log scale)" : ""), kInk);
  for (int t = 0; t < kTicks; ++t) {
    const double v = y_range.low + (y_range.high - y_range.low) * t / (kTicks - 1);
    const int y = py(v);
    image.line(box.left, y, box.right, y, kGrid);
    const std::string text = label(panel.log_y ? std::pow(10, v) : v);
    image.text(box.left - kMargin / 2 - Image::text_width(text), y - text_h / 2, text, kInk);
  }
  // Integer x ticks (epochs), at most kTicks + 1 of them.
  const double x_step = std::max(1.0, std::ceil((x_range.high - x_range.low) / kTicks));
  for (double x = std::ceil(x_range.low); x <= x_range.high; x += x_step) {
    const int xp = px(x);
    image.line(xp, box.bottom, xp, box.bottom + 3, kInk);
    const std::string text = label(x);
    image.text(xp - Image::text_width(text) / 2, box.bottom + kMargin / 2 + 1, text, kInk);
  }
  image.line(box.left, box.top, box.left, box.bottom, kInk);
  image.line(box.left, box.bottom, box.right, box.bottom, kInk);
  image.line(box.right, box.top, box.right, box.bottom, kInk);
  image.line(box.left, box.top, box.right, box.top, kInk);

  for (const Series& s : panel.series) {
    bool previous = false;
    int last_x = 0, last_y = 0;
    for (size_t i = 0; i < s.ys.size() && i < xs.size(); ++i) {
      if (!drawable(s.ys[i], panel.log_y)) { previous = false; continue; }
      const int x = px(xs[i]), y = py(axis_value(s.ys[i], panel.log_y));
      if (previous) image.line(last_x, last_y, x, y, s.color, 2);
      image.fill_rect(x - 2, y - 2, x + 2, y + 2, s.color);
      previous = true;
      last_x = x;
      last_y = y;
    }
  }

  // Legend: top right inside the box, one line per series.
  int legend_width = 0;
  for (const Series& s : panel.series) legend_width = std::max(legend_width, Image::text_width(s.name));
  const int legend_left = box.right - legend_width - 30;
  int y = box.top + kMargin;
  for (const Series& s : panel.series) {
    image.line(legend_left, y + text_h / 2, legend_left + 18, y + text_h / 2, s.color, 3);
    image.text(legend_left + 24, y, s.name, kInk);
    y += text_h + 5;
  }
}

}  // namespace kasf::reporting
