// A line plot as inline SVG: a panel with a title, axis labels, round ticks (axis_ticks.h), a grid,
// a legend and one polyline per series (a marker per point when there are few, so single points
// show). Text is real text, drawn by the viewer's fonts.
//
// Interactive pages find the x mapping on the <svg> element: data-x-low / data-x-high (axis range)
// and data-px-low / data-px-high (their pixel columns); a panel with `cursor` holds an empty
// <line class="plot-cursor"> for the page to move.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kasf::reporting {

struct PlotSeries {
  std::string name;
  std::string color;       // CSS colour
  std::vector<double> ys;  // one per x; non-finite values (and non-positive ones on a log axis) are gaps
};

struct PlotPanel {
  PlotPanel(std::string title, std::string x_label, std::string y_label, std::vector<PlotSeries> series, bool log_y = false)
      : title(std::move(title)), x_label(std::move(x_label)), y_label(std::move(y_label)), series(std::move(series)),
        log_y(log_y) {}
  std::string title;
  std::string x_label, y_label;
  std::vector<PlotSeries> series;
  bool log_y = false;              // the y label then says "(log scale)"
  std::optional<double> marked_x;  // a dashed vertical line (e.g. the best epoch), labelled marked_label
  std::string marked_label;
  bool cursor = false;
  int width = 640, height = 260;
};

// The xs are counts (epochs, frames): x ticks fall on whole numbers. Throws std::invalid_argument
// when a series has more values than there are xs.
std::string svg_plot(const std::vector<double>& xs, const PlotPanel& panel);

// `text` with &, <, >, " and ' escaped for HTML and SVG.
std::string escape_xml(const std::string& text);

}  // namespace kasf::reporting
