// MixSTE against the official code (model/MixSTE.py's MixSTE2) on the committed fixture
// tests/data/fixtures/mixste_small.h5 (scripts/make_mixste_fixtures.py): state-dict keys and shapes,
// parameter counts, eval-mode output, every block's output, and the gradients of sum(output^2)
// with respect to the input and every parameter.
#define BOOST_TEST_MODULE mixste
#include <boost/test/unit_test.hpp>

#include "peer_parity.h"

namespace kasf::test {

BOOST_AUTO_TEST_SUITE(mixste)

BOOST_AUTO_TEST_CASE(state_dict_and_parameter_count_are_the_official_ones) {
  check_state_dict_and_parameter_count("mixste_small", "../../configs/mixste_small.prototxt");
}

BOOST_AUTO_TEST_CASE(eval_output_and_intermediates) {
  check_eval_output_and_intermediates("mixste_small", 1 + 3 + 3 + 1);  // embedding, 3 STE, 3 TTE blocks, head
}

// MixSTE has no BatchNorm and the fixture no dropout: train mode must give the same numbers.
BOOST_AUTO_TEST_CASE(gradients_of_every_parameter_and_the_input) {
  for (const bool training : {false, true})
    BOOST_TEST_CONTEXT("training " << training) { check_output_and_gradients("mixste_small", Device::CPU, training); }
}

// The CUDA backend's kernels through the emulator (docs/cuda.md).
BOOST_AUTO_TEST_CASE(gradients_on_the_emulated_cuda_device) {
  check_output_and_gradients("mixste_small", Device::EmulatedCuda, false);
}

BOOST_AUTO_TEST_CASE(definitions_outside_mixste_are_refused) {
  check_definitions_refused({{"model_name: \"MixSTE\" dim_out: 4", "dim_out"},
                             {"model_name: \"MixSTE\" drop_path: 0.1", "drop_path"},
                             {"model_name: \"MixSTE\" variant: BASELINE", "variant"},
                             {"model_name: \"MixSTE\" act_layer: \"relu\"", "act_layer"},
                             {"model_name: \"MixSTEv2\"", "model_name"}});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf::test
