// MatmulPrecision::bf16 on a whole model: KASportsFormer (official structure, d = 64, so its linear
// layers take the bf16 path) gives the fp32 model's output and gradients to within bf16's rounding,
// and not bit for bit (the bf16 GEMMs did run).
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "framework/cpu/onednn_gemm.h"
#include "framework/matmul_precision.h"
#include "framework/ops.h"
#include "layers/init.h"
#include "models/kasportsformer.h"
#include "models/model_config.h"

using namespace kasf;

namespace {

struct Result {
  std::vector<float> output, input_grad, weight_grad;
};

Result forward_backward(MatmulPrecision precision) {
  set_matmul_precision(precision);
  Generator init(5);
  models::KASportsFormer model(
      models::parse_model_config("n_layers: 2 dim_feat: 64 dim_rep: 128 num_heads: 4 n_frames: 27", "bf16 test"), init);
  model.train();
  const Tensor input = uniform_tensor({2, 27, 17, 3}, 1.0f, init).set_requires_grad(true);
  const Tensor out = model.forward(input);
  sum(mul(out, out)).backward();
  Result r{out.to_vector(), input.grad().to_vector(), {}};
  for (const auto& [name, p] : model.named_parameters())
    if (name == "layers_with_bone.0.att_spatial.mlp.fc1.weight") r.weight_grad = p.grad().to_vector();
  set_matmul_precision(MatmulPrecision::fp32);
  return r;
}

// max |a - b| / max |b|
double relative_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double diff = 0, scale = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff = std::max(diff, std::fabs(static_cast<double>(a[i]) - b[i]));
    scale = std::max(scale, std::fabs(static_cast<double>(b[i])));
  }
  return diff / scale;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bf16_precision)

BOOST_AUTO_TEST_CASE(a_model_in_bf16_stays_within_bf16_rounding_of_fp32) {
  BOOST_TEST_REQUIRE(cpu::has_bf16_gemm(), "this CPU has no bf16 dot products (ops_kernels checks the refusal)");
  const Result fp32 = forward_backward(MatmulPrecision::fp32), bf16 = forward_backward(MatmulPrecision::bf16);
  BOOST_TEST_REQUIRE(!fp32.weight_grad.empty());
  // bf16 keeps 8 significant bits (relative step 2^-8 = 0.4 %); through two blocks of roundings the
  // output stays within a few steps. The lower bounds show the bf16 path ran.
  for (const auto& [what, a, b] : {std::tuple{"output", &bf16.output, &fp32.output},
                                   std::tuple{"input gradient", &bf16.input_grad, &fp32.input_grad},
                                   std::tuple{"fc1 weight gradient", &bf16.weight_grad, &fp32.weight_grad}}) {
    const double difference = relative_difference(*a, *b);
    BOOST_TEST_MESSAGE(what << ": " << difference);
    BOOST_TEST(difference < 2e-2, what << " differs by " << difference);
    BOOST_TEST(difference > 1e-5, what << " differs by only " << difference);
  }
}

BOOST_AUTO_TEST_SUITE_END()
