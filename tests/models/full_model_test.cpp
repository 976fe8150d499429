// The official configuration at B = 2: forward and backward run, with the right shapes and finite
// values (the fixtures cover the numbers; this covers the size: T = 27, d = 128, 26 blocks).
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/ops.h"
#include "layers/init.h"
#include "models/kasportsformer.h"
#include "models/model_config.h"

using namespace kasf;
using namespace kasf::models;

namespace {

bool all_finite(const Tensor& t) {
  for (float v : t.to_vector())
    if (!std::isfinite(v)) return false;
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(full_model)

BOOST_AUTO_TEST_CASE(forward_and_backward_at_batch_2) {
  Generator init(11);
  KASportsFormer model(read_model_config("../../configs/kasportsformer_sportspose.prototxt"), init);
  model.train();
  Tensor input = uniform_tensor({2, 27, 17, 3}, 1.0f, init).set_requires_grad(true);
  Tensor output = model.forward(input);
  BOOST_TEST(output.shape() == (Shape{2, 27, 17, 3}));
  BOOST_TEST(all_finite(output));
  sum(mul(output, output)).backward();
  BOOST_TEST(input.grad().shape() == input.shape());
  BOOST_TEST(all_finite(input.grad()));
  size_t with_gradient = 0;
  for (const auto& [name, parameter] : model.named_parameters()) {
    if (!parameter.grad().defined()) continue;
    ++with_gradient;
    BOOST_TEST(parameter.grad().shape() == parameter.shape(), name);
    BOOST_TEST(all_finite(parameter.grad()), name);
  }
  BOOST_TEST(with_gradient == 2819u - 26 * 4 * 2);  // all but the unused norm1_limb weights and biases
}

BOOST_AUTO_TEST_SUITE_END()
