// STCFormer against the official code (model/STCFormer.py's Model) on the committed fixture
// tests/data/fixtures/stcformer_small.h5 (scripts/make_stcformer_fixtures.py): state-dict keys and
// shapes, parameter counts, eval-mode output, every block's attention and output, and the gradients
// of sum(output^2) with respect to the input and every parameter.
#define BOOST_TEST_MODULE stcformer
#include <boost/test/unit_test.hpp>

#include "peer_parity.h"

namespace kasf::test {

BOOST_AUTO_TEST_SUITE(stcformer)

BOOST_AUTO_TEST_CASE(state_dict_and_parameter_count_are_the_official_ones) {
  check_state_dict_and_parameter_count("stcformer_small", "../../configs/stcformer_small.prototxt");
}

BOOST_AUTO_TEST_CASE(eval_output_and_intermediates) {
  check_eval_output_and_intermediates("stcformer_small", 1 + 2 * 2 + 1);  // pose_emb, 2 x (stc_att, block), head
}

// The fixture sets the MLP dropout and the part embeddings' DropPath to 0 and STCFormer has no
// BatchNorm: train mode must give the same numbers.
BOOST_AUTO_TEST_CASE(gradients_of_every_parameter_and_the_input) {
  for (const bool training : {false, true})
    BOOST_TEST_CONTEXT("training " << training) {
      check_output_and_gradients("stcformer_small", Device::CPU, training);
    }
}

// The CUDA backend's kernels through the emulator (docs/cuda.md).
BOOST_AUTO_TEST_CASE(gradients_on_the_emulated_cuda_device) {
  check_output_and_gradients("stcformer_small", Device::EmulatedCuda, false);
}

BOOST_AUTO_TEST_CASE(definitions_outside_stcformer_are_refused) {
  check_definitions_refused(
      {{"model_name: \"STCFormer\" qkv_bias: true dim_out: 4", "dim_out"},
       {"model_name: \"STCFormer\" qkv_bias: true drop_path: 0.1", "drop_path"},
       {"model_name: \"STCFormer\" qkv_bias: true attn_drop: 0.1", "attn_drop"},
       {"model_name: \"STCFormer\" qkv_bias: true qkv_scale: 0.5", "qkv_scale"},
       {"model_name: \"STCFormer\"", "qkv_bias"},
       {"model_name: \"STCFormer\" qkv_bias: true dim_feat: 24", "dim_feat"},
       {"model_name: \"STCFormer\" qkv_bias: true num_joints: 16", "num_joints"},
       {"model_name: \"STCFormer\" qkv_bias: true part_embed_drop_path: 1", "part_embed_drop_path"},
       {"model_name: \"STCFormer\" qkv_bias: true variant: BASELINE", "variant"},
       {"model_name: \"STCFormer\" qkv_bias: true act_layer: \"relu\"", "act_layer"}});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf::test
