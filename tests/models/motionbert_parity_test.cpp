// DSTformer (MotionBERT) against the official code (model/DSTFormer.py's DSTformer) on the committed fixture
// tests/data/fixtures/motionbert_small.h5 (scripts/make_motionbert_fixtures.py): state-dict keys, parameter
// counts, eval-mode output, every block's output and fusion, and the gradients of sum(output^2) with respect
// to the input and every parameter.
#define BOOST_TEST_MODULE motionbert
#include <boost/test/unit_test.hpp>

#include "peer_parity.h"

namespace kasf::test {

BOOST_AUTO_TEST_SUITE(motionbert)

BOOST_AUTO_TEST_CASE(state_dict_and_parameter_count_are_the_official_ones) {
  check_state_dict_and_parameter_count("motionbert_small", "../../configs/motionbert_small.prototxt");
}

// pre_logits = tanh(fc(norm)) is bounded by 1 while its rounding follows norm's scale (about 3x larger
// here; measured worst |diff| 1.3e-6 at the default 1e-6 x max|pre_logits|): its atol is norm's.
BOOST_AUTO_TEST_CASE(eval_output_and_intermediates) {
  // joints_embed, per depth blocks_st, blocks_ts and the fusion (2 depths), norm, pre_logits, head
  check_eval_output_and_intermediates("motionbert_small", 1 + 3 * 2 + 3, {{"pre_logits", Tolerance{1e-5, 3e-6}}});
}

// DSTformer has no BatchNorm and the fixture no dropout: train mode must give the same numbers.
BOOST_AUTO_TEST_CASE(gradients_of_every_parameter_and_the_input) {
  for (const bool training : {false, true})
    BOOST_TEST_CONTEXT("training " << training) {
      check_output_and_gradients("motionbert_small", Device::CPU, training);
    }
}

// The CUDA backend's kernels through the emulator (docs/cuda.md).
BOOST_AUTO_TEST_CASE(gradients_on_the_emulated_cuda_device) {
  for (const bool training : {false, true})
    BOOST_TEST_CONTEXT("training " << training) {
      check_output_and_gradients("motionbert_small", Device::EmulatedCuda, training);
    }
}

BOOST_AUTO_TEST_CASE(definitions_outside_dstformer_are_refused) {
  check_definitions_refused({{"model_name: \"DSTformer\" drop_path: 0.1", "drop_path"},
                             {"model_name: \"DSTformer\" act_layer: \"relu\"", "act_layer"},
                             {"model_name: \"DSTformer\" variant: BASELINE", "variant"},
                             {"model_name: \"DSTformer\" n_frames: 27 maxlen: 26", "maxlen"},
                             {"model_name: \"DSTformer\" dim_rep: 0", "dim_rep"},
                             {"model_name: \"DSTformer\" norm_eps: 0", "norm_eps"},
                             {"model_name: \"DSTformer\" dim_feat: 30 num_heads: 8", "dim_feat"},
                             {"model_name: \"DSTformer\" drop: 1", "drop"},
                             {"model_name: \"DSTFormer\"", "model_name"}});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf::test
