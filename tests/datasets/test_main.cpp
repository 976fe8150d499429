// The datasets test module: normalisation, flip, clip cutting, clip data sets and the batcher.
#define BOOST_TEST_MODULE datasets
#include <boost/test/unit_test.hpp>
