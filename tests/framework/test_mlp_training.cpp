// End to end: a small MLP trained by plain gradient descent on a synthetic regression problem
// must cut its loss by at least 100x, which needs every piece of forward and backward to agree.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "framework/autograd.h"
#include "framework/ops.h"

using namespace kasf;

namespace {
Tensor uniform_leaf(const Shape& shape, float bound, Generator& gen) {
  std::vector<float> v(static_cast<size_t>(numel(shape)));
  for (float& x : v) x = gen.uniform(-bound, bound);
  Tensor t = Tensor::from_vector(shape, v);
  t.set_requires_grad(true);
  return t;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(training)

BOOST_AUTO_TEST_CASE(mlp_gradient_descent_cuts_loss_100x) {
  Generator gen(7);
  const int64_t n = 256, in = 3, hidden = 32;
  // Target: a smooth function of three inputs.
  std::vector<float> xs(n * in), ys(n);
  for (int64_t i = 0; i < n; ++i) {
    float a = gen.uniform(-1, 1), b = gen.uniform(-1, 1), c = gen.uniform(-1, 1);
    xs[i * in] = a, xs[i * in + 1] = b, xs[i * in + 2] = c;
    ys[i] = std::sin(2.0f * a) + 0.5f * b * c;
  }
  Tensor x = Tensor::from_vector({n, in}, xs), y = Tensor::from_vector({n, 1}, ys);
  std::vector<Tensor> params{uniform_leaf({hidden, in}, 1.0f, gen), uniform_leaf({hidden}, 1.0f, gen),
                             uniform_leaf({1, hidden}, 0.2f, gen), uniform_leaf({1}, 0.2f, gen)};
  auto loss_fn = [&] {
    Tensor h = tanh(linear(x, params[0], params[1]));
    Tensor d = linear(h, params[2], params[3]) - y;
    return mean(d * d);
  };
  const float initial = loss_fn().item();
  float final_loss = initial;
  for (int step = 0; step < 3000; ++step) {
    Tensor loss = loss_fn();
    for (const Tensor& p : params) p.zero_grad();
    loss.backward();
    NoGradGuard no_grad;
    for (const Tensor& p : params) p.copy_from(p - p.grad() * 0.2f);
    final_loss = loss.item();
  }
  BOOST_TEST_MESSAGE("MLP loss " << initial << " -> " << final_loss);
  BOOST_CHECK_LT(final_loss * 100.0f, initial);
}

BOOST_AUTO_TEST_SUITE_END()
