// The pieces of a progress line: the bar and the time left.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "reporting/status_line.h"

namespace kasf::reporting {

BOOST_AUTO_TEST_SUITE(status_line)

BOOST_AUTO_TEST_CASE(bar_fills_in_proportion_and_clamps) {
  BOOST_TEST(bar(0, 10, 10) == "[..........]");
  BOOST_TEST(bar(3, 10, 10) == "[###.......]");
  BOOST_TEST(bar(10, 10, 4) == "[####]");
  BOOST_TEST(bar(12, 10, 4) == "[####]");
  BOOST_TEST(bar(0, 0, 3) == "[###]");  // nothing to do is done
}

BOOST_AUTO_TEST_CASE(duration_formats_minutes_and_hours) {
  BOOST_TEST(duration(0) == "0:00");
  BOOST_TEST(duration(59.6) == "1:00");
  BOOST_TEST(duration(3599) == "59:59");
  BOOST_TEST(duration(3600 + 62) == "1:01:02");
  BOOST_TEST(duration(NAN) == "?");
  BOOST_TEST(duration(-1) == "?");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf::reporting
