#include "reporting/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "reporting/axis_ticks.h"
#include "reporting/html_assets.h"

namespace kasf::reporting {
namespace {

// Margins around the plot area; the legend sits right of it.
constexpr double kLeft = 62, kRight = 118, kTop = 30, kBottom = 44;

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

bool drawable(double y, bool log_y) { return std::isfinite(y) && (!log_y || y > 0); }

// Maps data values to pixel positions along one axis (log10 on log axes).
struct Scale {
  double low, high, px_low, px_high;
  bool log;
  double operator()(double v) const {
    const auto f = [&](double x) { return log ? std::log10(x) : x; };
    return px_low + (f(v) - f(low)) / (f(high) - f(low)) * (px_high - px_low);
  }
};

}  // namespace

std::string escape_xml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string svg_plot(const std::vector<double>& xs, const PlotPanel& panel) {
  double x_low = std::numeric_limits<double>::infinity(), x_high = -x_low, y_low = x_low, y_high = -x_low;
  for (double x : xs) { x_low = std::min(x_low, x); x_high = std::max(x_high, x); }
  for (const PlotSeries& s : panel.series) {
    if (s.ys.size() > xs.size())
      throw std::invalid_argument("plot '" + panel.title + "': series '" + s.name + "' has " +
                                  std::to_string(s.ys.size()) + " values for " + std::to_string(xs.size()) + " x values");
    for (double y : s.ys)
      if (drawable(y, panel.log_y)) { y_low = std::min(y_low, y); y_high = std::max(y_high, y); }
  }
  const AxisTicks x_ticks = linear_ticks(x_low, x_high, 6, 1);
  const AxisTicks y_ticks = panel.log_y ? log_ticks(y_low, y_high) : linear_ticks(y_low, y_high, 5);
  const double w = panel.width, h = panel.height;
  const Scale px{x_ticks.low, x_ticks.high, kLeft, w - kRight, false};
  const Scale py{y_ticks.low, y_ticks.high, h - kBottom, kTop, panel.log_y};

  std::ostringstream svg;
  svg << "<svg class=\"kasf-plot\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << w << ' ' << h
      << "\" width=\"" << w << "\" height=\"" << h << "\" data-x-low=\"" << x_ticks.low << "\" data-x-high=\""
      << x_ticks.high << "\" data-px-low=\"" << kLeft << "\" data-px-high=\"" << w - kRight << "\">\n<style>" << html::kPlotCss << "</style>\n";
  svg << "<text class=\"plot-title\" x=\"" << kLeft << "\" y=\"18\">" << escape_xml(panel.title) << "</text>\n";
  for (size_t i = 0; i < y_ticks.values.size(); ++i) {
    const std::string y = number(py(y_ticks.values[i]));
    svg << "<line class=\"plot-grid\" x1=\"" << kLeft << "\" x2=\"" << w - kRight << "\" y1=\"" << y << "\" y2=\"" << y
        << "\"/><text class=\"plot-tick\" text-anchor=\"end\" x=\"" << kLeft - 6 << "\" y=\"" << y
        << "\" dy=\"0.35em\">" << y_ticks.labels[i] << "</text>\n";
  }
  for (size_t i = 0; i < x_ticks.values.size(); ++i) {
    const std::string x = number(px(x_ticks.values[i]));
    svg << "<line class=\"plot-grid\" x1=\"" << x << "\" x2=\"" << x << "\" y1=\"" << kTop << "\" y2=\"" << h - kBottom
        << "\"/><text class=\"plot-tick\" text-anchor=\"middle\" x=\"" << x << "\" y=\"" << h - kBottom + 16 << "\">"
        << x_ticks.labels[i] << "</text>\n";
  }
  svg << "<rect class=\"plot-frame\" x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << w - kRight - kLeft
      << "\" height=\"" << h - kBottom - kTop << "\"/>\n";
  svg << "<text class=\"plot-label\" text-anchor=\"middle\" x=\"" << (kLeft + w - kRight) / 2 << "\" y=\"" << h - 8
      << "\">" << escape_xml(panel.x_label) << "</text>\n";
  svg << "<text class=\"plot-label\" text-anchor=\"middle\" transform=\"translate(14 " << (kTop + h - kBottom) / 2
      << ") rotate(-90)\">" << escape_xml(panel.y_label + (panel.log_y ? " (log scale)" : "")) << "</text>\n";
  if (panel.marked_x) {
    const std::string x = number(px(*panel.marked_x));
    svg << "<line class=\"plot-mark\" x1=\"" << x << "\" x2=\"" << x << "\" y1=\"" << kTop << "\" y2=\"" << h - kBottom
        << "\"/>";
    // The label on the side of the line with more room.
    const bool left = px(*panel.marked_x) > (kLeft + w - kRight) / 2;
    svg << "<text class=\"plot-mark-label\" text-anchor=\"" << (left ? "end" : "start") << "\" x=\""
        << number(px(*panel.marked_x) + (left ? -4 : 4)) << "\" y=\"" << kTop + 12 << "\">"
        << escape_xml(panel.marked_label) << "</text>\n";
  }
  for (const PlotSeries& s : panel.series) {
    // A polyline per run of drawable points; markers when the points are few enough to see.
    std::string runs, markers;
    bool open = false;
    const bool marked = xs.size() <= 60;
    for (size_t i = 0; i < s.ys.size(); ++i) {
      if (!drawable(s.ys[i], panel.log_y)) { open = false; continue; }
      const std::string point = number(px(xs[i])) + "," + number(py(s.ys[i]));
      runs += (open ? " L" : " M") + point;
      open = true;
      if (marked) markers += "<circle cx=\"" + number(px(xs[i])) + "\" cy=\"" + number(py(s.ys[i])) + "\" r=\"2.5\"/>";
    }
    svg << "<g class=\"plot-series\" stroke=\"" << escape_xml(s.color) << "\" fill=\"" << escape_xml(s.color)
        << "\"><path fill=\"none\" stroke-width=\"2\" d=\"" << runs << "\"/>" << markers << "</g>\n";
  }
  // Legend right of the plot area, one entry per series.
  double legend_y = kTop + 10;
  for (const PlotSeries& s : panel.series) {
    svg << "<line stroke=\"" << escape_xml(s.color) << "\" stroke-width=\"3\" x1=\"" << w - kRight + 10 << "\" x2=\""
        << w - kRight + 28 << "\" y1=\"" << legend_y - 4 << "\" y2=\"" << legend_y - 4
        << "\"/><text class=\"plot-legend\" x=\"" << w - kRight + 33 << "\" y=\"" << legend_y << "\">"
        << escape_xml(s.name) << "</text>\n";
    legend_y += 16;
  }
  if (panel.cursor)
    svg << "<line class=\"plot-cursor\" x1=\"" << kLeft << "\" x2=\"" << kLeft << "\" y1=\"" << kTop << "\" y2=\""
        << h - kBottom << "\"/>\n";
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace kasf::reporting
