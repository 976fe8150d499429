// The training test module: losses, experiment definitions, checkpoints, plots and kasf_train runs.
#define BOOST_TEST_MODULE training
#include <boost/test/unit_test.hpp>
