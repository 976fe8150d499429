// The reporting test module: PNG files, axis ticks, SVG plots and the progress-line helpers.
#define BOOST_TEST_MODULE reporting
#include <boost/test/unit_test.hpp>
