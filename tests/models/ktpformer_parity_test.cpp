// KTPFormer against the official code (model/KTPFormer.py's KTPFormer) on the committed fixture
// tests/data/fixtures/ktpformer_small.h5 (scripts/make_ktpformer_fixtures.py): state-dict keys and
// shapes, parameter counts, eval-mode output, the priors' and every block's output, and the
// gradients of sum(output^2) with respect to the input and every parameter, in eval mode and in
// train mode (the priors' BatchNorm then uses batch statistics and updates its running ones).
#define BOOST_TEST_MODULE ktpformer
#include <boost/test/unit_test.hpp>

#include "peer_parity.h"

namespace kasf::test {

BOOST_AUTO_TEST_SUITE(ktpformer)

BOOST_AUTO_TEST_CASE(state_dict_and_parameter_count_are_the_official_ones) {
  check_state_dict_and_parameter_count("ktpformer_small", "../../configs/ktpformer_small.prototxt");
}

BOOST_AUTO_TEST_CASE(eval_output_and_intermediates) {
  // kpa, kpattention, tpa, tpattention, 2 STE and 2 TTE blocks, head
  check_eval_output_and_intermediates("ktpformer_small", 4 + 2 + 2 + 1);
}

BOOST_AUTO_TEST_CASE(eval_gradients_of_every_parameter_and_the_input) {
  check_output_and_gradients("ktpformer_small", Device::CPU, false);
}

// Each LearnableGraphConv's bias feeds a train-mode BatchNorm, so its gradient cancels.
const VanishingGradients kBiasesBeforeBatchNorm = {
    {"kpattention.attn.kpa.gconv.bias", "kpattention.attn.kpa.bn.bias"},
    {"tpattention.attn.tpa.gconv1.gconv.bias", "tpattention.attn.tpa.gconv1.bn.bias"},
    {"tpattention.attn.tpa.gconv2.gconv.bias", "tpattention.attn.tpa.gconv2.bn.bias"}};

BOOST_AUTO_TEST_CASE(train_mode_gradients_and_batch_norm_statistics) {
  check_output_and_gradients("ktpformer_small", Device::CPU, true, kBiasesBeforeBatchNorm);
  check_buffers_after_train_forward("ktpformer_small", Device::CPU);
}

// The CUDA backend's kernels through the emulator (docs/cuda.md).
BOOST_AUTO_TEST_CASE(gradients_on_the_emulated_cuda_device) {
  check_output_and_gradients("ktpformer_small", Device::EmulatedCuda, false);
}

BOOST_AUTO_TEST_CASE(definitions_outside_ktpformer_are_refused) {
  check_definitions_refused({{"model_name: \"KTPFormer\" dim_in: 4", "dim_in"},
                             {"model_name: \"KTPFormer\" dim_in: 1", "dim_in"},
                             {"model_name: \"KTPFormer\" dim_out: 4", "dim_out"},
                             {"model_name: \"KTPFormer\" drop_path: 0.1", "drop_path"},
                             {"model_name: \"KTPFormer\" variant: BASELINE", "variant"},
                             {"model_name: \"KTPFormer\" act_layer: \"relu\"", "act_layer"},
                             {"model_name: \"KTPFormer\" num_joints: 16", "num_joints"},
                             {"model_name: \"KTPFormer\" dim_feat: 30 num_heads: 4", "dim_feat"}});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf::test
