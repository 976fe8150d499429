// The optim test module: AdamW, the learning-rate schedule and early stopping.
#define BOOST_TEST_MODULE optim
#include <boost/test/unit_test.hpp>
