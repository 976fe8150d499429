// The evaluation test module: metrics, aggregation, tables and the kinematic validation.
#define BOOST_TEST_MODULE evaluation
#include <boost/test/unit_test.hpp>
