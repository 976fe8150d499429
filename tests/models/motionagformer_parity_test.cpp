// MotionAGFormer against the official code (model/MotionAGFormer.py) on the committed fixture
// tests/data/fixtures/motionagformer_small.h5 (scripts/make_motionagformer_fixtures.py): state-dict
// keys and parameter counts, eval-mode output, every block's and FormerModule's output, the gradients
// of sum(output^2) with respect to the input and every parameter in eval and in train mode (the
// GCNs' BatchNorms on batch statistics), and the BatchNorm statistics after a train-mode forward.
#define BOOST_TEST_MODULE motionagformer
#include <boost/test/unit_test.hpp>

#include "peer_parity.h"

namespace kasf::test {

BOOST_AUTO_TEST_SUITE(motionagformer)

BOOST_AUTO_TEST_CASE(state_dict_and_parameter_count_are_the_official_ones) {
  check_state_dict_and_parameter_count("motionagformer_small", "../../configs/motionagformer_small.prototxt");
}

BOOST_AUTO_TEST_CASE(eval_output_and_intermediates) {
  // joints_embed, 2 blocks with their 4 FormerModules each, norm, rep_logit, head
  check_eval_output_and_intermediates("motionagformer_small", 1 + 2 * 5 + 3);
}

BOOST_AUTO_TEST_CASE(gradients_of_every_parameter_and_the_input) {
  for (const bool training : {false, true})
    BOOST_TEST_CONTEXT("training " << training) {
      check_output_and_gradients("motionagformer_small", Device::CPU, training);
    }
}

BOOST_AUTO_TEST_CASE(batch_norm_statistics_after_a_train_forward) {
  check_buffers_after_train_forward("motionagformer_small", Device::CPU);
}

// The CUDA backend's kernels through the emulator (docs/cuda.md).
BOOST_AUTO_TEST_CASE(gradients_on_the_emulated_cuda_device) {
  check_output_and_gradients("motionagformer_small", Device::EmulatedCuda, false);
}

BOOST_AUTO_TEST_CASE(definitions_outside_the_published_motionagformer_are_refused) {
  check_definitions_refused({{"model_name: \"MotionAGFormer\" drop_path: 0.1", "drop_path"},
                             {"model_name: \"MotionAGFormer\" hierarchical: true", "hierarchical"},
                             {"model_name: \"MotionAGFormer\" use_tcn: true", "use_tcn"},
                             {"model_name: \"MotionAGFormer\" graph_only: true", "graph_only"},
                             {"model_name: \"MotionAGFormer\" use_temporal_similarity: false",
                              "use_temporal_similarity"},
                             {"model_name: \"MotionAGFormer\" variant: BASELINE", "variant"},
                             {"model_name: \"MotionAGFormer\" n_frames: 9 neighbour_num: 10", "neighbour_num"}});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf::test
