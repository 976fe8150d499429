// The keypoints test module: input formats, COCO -> H36M, gap filling, windowing, flip TTA, outputs.
#define BOOST_TEST_MODULE keypoints
#include <boost/test/unit_test.hpp>
