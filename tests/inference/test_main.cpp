// The inference test module: kasf_infer's keypoint mode end to end, flip TTA, bad input, rendering.
#define BOOST_TEST_MODULE inference
#include <boost/test/unit_test.hpp>
