// SVG plots (reporting/svg_plot.h): ticks, log labels, gaps, escaping, the x mapping pages use.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <regex>

#include "reporting/svg_plot.h"

using kasf::reporting::PlotPanel;
using kasf::reporting::svg_plot;

namespace {

std::vector<std::string> tick_labels(const std::string& svg) {
  std::vector<std::string> labels;
  const std::regex tick("class=\"plot-tick\"[^>]*>([^<]*)</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), tick); it != std::sregex_iterator(); ++it)
    labels.push_back((*it)[1]);
  return labels;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(svg_plots)

BOOST_AUTO_TEST_CASE(ticks_are_round_and_the_log_axis_says_so) {
  PlotPanel panel("Loss & <error>", "epoch", "loss", {{"total", "#d62728", {0.2, 0.05, 0.03}}}, true);
  const std::string svg = svg_plot({1, 2, 3}, panel);
  // y: 0.01 .. 1 with 2 and 5 between (the data span under two decades); x: whole numbers only,
  // although 2 / 6 would round to a step of 0.5.
  const std::vector<std::string> expected = {"0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1", "1", "2", "3"};
  BOOST_TEST(tick_labels(svg) == expected, boost::test_tools::per_element());
  BOOST_TEST(contains(svg, ">loss (log scale)</text>"));
  BOOST_TEST(contains(svg, "Loss &amp; &lt;error&gt;"));
  BOOST_TEST(contains(svg, "data-x-low=\"1\" data-x-high=\"3\""));
}

BOOST_AUTO_TEST_CASE(gaps_split_the_line_and_too_many_values_are_refused) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  PlotPanel panel("speed", "frame", "mm/s", {{"wrist", "#000", {nan, 1, 2, nan, 4}}});
  const std::string svg = svg_plot({0, 1, 2, 3, 4}, panel);
  // Two runs: 1-2 and 4 alone, so two "M" moves and one "L".
  const std::regex moves(" M"), lines(" L");
  const auto count = [&](const std::regex& r) {
    return std::distance(std::sregex_iterator(svg.begin(), svg.end(), r), std::sregex_iterator());
  };
  BOOST_TEST(count(moves) == 2);
  BOOST_TEST(count(lines) == 1);
  panel.series[0].ys.push_back(5);
  BOOST_CHECK_THROW(svg_plot({0, 1, 2, 3, 4}, panel), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
