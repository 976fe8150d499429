// Round tick values and their labels (reporting/axis_ticks.h), with the values worked out by hand.
#include <boost/test/unit_test.hpp>
#include <vector>

#include "reporting/axis_ticks.h"

using kasf::reporting::linear_ticks;
using kasf::reporting::log_ticks;
using Labels = std::vector<std::string>;

BOOST_AUTO_TEST_SUITE(axis_ticks)

BOOST_AUTO_TEST_CASE(linear_ticks_step_by_one_two_or_five_times_a_power_of_ten) {
  // (66.7 - 0.0557) / 5 = 13.3 -> step 20; the axis widens to the outer ticks 0 and 80.
  const auto mm = linear_ticks(0.0557, 66.7, 5);
  BOOST_TEST(mm.labels == (Labels{"0", "20", "40", "60", "80"}), boost::test_tools::per_element());
  BOOST_TEST(mm.low == 0.0);
  BOOST_TEST(mm.high == 80.0);
  BOOST_TEST(mm.step == 20.0);
  // 0.0031 / 5 = 0.00062 -> step 0.001, labels with three decimals.
  const auto small = linear_ticks(0.0522, 0.0553, 5);
  BOOST_TEST(small.labels == (Labels{"0.052", "0.053", "0.054", "0.055", "0.056"}), boost::test_tools::per_element());
  // 9 / 5 = 1.8 -> step 2; 10 / 5 = 2 exactly -> step 2; negative values and -0 read plainly.
  BOOST_TEST(linear_ticks(1, 10, 5).labels == (Labels{"0", "2", "4", "6", "8", "10"}), boost::test_tools::per_element());
  BOOST_TEST(linear_ticks(-7, 3, 5).labels == (Labels{"-8", "-6", "-4", "-2", "0", "2", "4"}),
             boost::test_tools::per_element());
  // 0.35 / 5 = 0.07 -> step 0.1.
  BOOST_TEST(linear_ticks(-0.2, 0.15, 5).labels == (Labels{"-0.2", "-0.1", "0.0", "0.1", "0.2"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_single_value_or_no_value_gets_a_unit_axis) {
  BOOST_TEST(linear_ticks(3, 3, 5).labels == (Labels{"2.4", "2.6", "2.8", "3.0", "3.2", "3.4", "3.6"}),
             boost::test_tools::per_element());
  const auto none = linear_ticks(1, 0, 5);  // empty range
  BOOST_TEST(none.low == 0.0);
  BOOST_TEST(none.high == 1.0);
}

BOOST_AUTO_TEST_CASE(log_ticks_are_decades_with_readable_labels) {
  // A learning rate from 5.64e-05 to 0.0557: the decades 1e-05 .. 0.1.
  const auto lr = log_ticks(5.64e-05, 0.0557);
  BOOST_TEST(lr.labels == (Labels{"1e-05", "1e-04", "0.001", "0.01", "0.1"}), boost::test_tools::per_element());
  BOOST_TEST(lr.low == 1e-05, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(lr.high == 0.1, boost::test_tools::tolerance(1e-12));
  // Less than two decades: 2 and 5 in between.
  BOOST_TEST(log_ticks(0.03, 0.4).labels == (Labels{"0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"}),
             boost::test_tools::per_element());
  // One value on a decade still gets a decade-wide axis.
  BOOST_TEST(log_ticks(100, 100).labels == (Labels{"100", "200", "500", "1000"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
