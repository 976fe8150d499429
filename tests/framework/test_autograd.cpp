// The autograd engine: shared subexpressions, accumulation, no-grad scope, freeing the graph.
#define BOOST_TEST_MODULE framework_core
#include <boost/test/unit_test.hpp>

#include "framework/autograd.h"
#include "framework/ops.h"

using namespace kasf;

namespace {
Tensor leaf(const Shape& shape, const std::vector<float>& values) {
  Tensor t = Tensor::from_vector(shape, values);
  t.set_requires_grad(true);
  return t;
}
void check_values(const Tensor& t, const std::vector<float>& expected, double tol = 1e-6) {
  std::vector<float> v = t.to_vector();
  BOOST_REQUIRE_EQUAL(v.size(), expected.size());
  for (size_t i = 0; i < v.size(); ++i) BOOST_CHECK_CLOSE_FRACTION(v[i] + 1.0, expected[i] + 1.0, tol);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(autograd)

BOOST_AUTO_TEST_CASE(shared_subexpression_sums_both_paths) {
  // y = x*x + x*a with x used three times: dy/dx = 2x + a, dy/da = x.
  Tensor x = leaf({3}, {1.0f, -2.0f, 0.5f});
  Tensor a = leaf({3}, {3.0f, 4.0f, -1.0f});
  Tensor y = x * x + x * a;
  y.backward(Tensor::full({3}, 1.0f));
  check_values(x.grad(), {2 * 1.0f + 3, 2 * -2.0f + 4, 2 * 0.5f - 1});
  check_values(a.grad(), {1.0f, -2.0f, 0.5f});
}

BOOST_AUTO_TEST_CASE(the_leaf_ready_hook_sees_each_final_gradient_once) {
  // x feeds two products, a one, c none: the hook must come after x's second contribution.
  Tensor x = leaf({2}, {1.0f, -2.0f});
  Tensor a = leaf({2}, {3.0f, 0.5f});
  Tensor c = leaf({2}, {7.0f, 7.0f});
  Tensor y = x * x + x * a;
  std::vector<std::pair<TensorImpl*, std::vector<float>>> seen;
  run_backward(y, Tensor::full({2}, 1.0f), [&](TensorImpl* t) {
    seen.emplace_back(t, (t == x.impl() ? x : a).grad().to_vector());
  });
  BOOST_REQUIRE_EQUAL(seen.size(), 2u);
  for (const auto& [impl, grad] : seen) {
    BOOST_TEST((impl == x.impl() || impl == a.impl()));
    BOOST_TEST(grad == (impl == x.impl() ? x : a).grad().to_vector());  // already final when announced
  }
  BOOST_TEST(seen[0].first != seen[1].first);
  BOOST_TEST(!c.grad().defined());
}

BOOST_AUTO_TEST_CASE(diamond_graph_visits_each_node_once) {
  // h = exp(x) feeds two branches that meet again: y = h*2 + h*h; dy/dx = (2 + 2h) h.
  Tensor x = leaf({2}, {0.3f, -0.7f});
  Tensor h = exp(x);
  Tensor y = h * 2.0f + h * h;
  y.backward(Tensor::full({2}, 1.0f));
  std::vector<float> hv = h.to_vector();
  check_values(x.grad(), {(2 + 2 * hv[0]) * hv[0], (2 + 2 * hv[1]) * hv[1]}, 1e-5);
}

BOOST_AUTO_TEST_CASE(gradients_accumulate_across_backward_calls) {
  Tensor x = leaf({2}, {1.0f, 2.0f});
  (x * 3.0f).backward(Tensor::full({2}, 1.0f));
  (x * x).backward(Tensor::full({2}, 1.0f));
  check_values(x.grad(), {3 + 2 * 1.0f, 3 + 2 * 2.0f});
  x.zero_grad();
  BOOST_CHECK(!x.grad().defined());
}

BOOST_AUTO_TEST_CASE(upstream_gradient_is_used) {
  Tensor x = leaf({3}, {1.0f, 2.0f, 3.0f});
  (x * x).backward(Tensor::from_vector({3}, {1.0f, 0.0f, -2.0f}));
  check_values(x.grad(), {2.0f, 0.0f, -12.0f});
}

BOOST_AUTO_TEST_CASE(no_grad_scope_records_nothing) {
  Tensor x = leaf({2}, {1.0f, 2.0f});
  Tensor y;
  {
    NoGradGuard guard;
    y = x * x;
  }
  BOOST_CHECK(!y.requires_grad());
  BOOST_CHECK(!y.grad_fn());
  Tensor z = x * x;  // recording resumes after the scope
  BOOST_CHECK(z.requires_grad());
}

BOOST_AUTO_TEST_CASE(graph_is_freed_after_backward) {
  Tensor x = leaf({4}, {1.0f, 2.0f, 3.0f, 4.0f});
  Tensor h = exp(x);
  std::weak_ptr<Storage> saved = h.impl()->storage;  // held by the graph (exp saves its output)
  Tensor y = h * h;
  h = Tensor();
  BOOST_CHECK(!saved.expired());
  y.backward(Tensor::full({4}, 1.0f));
  BOOST_CHECK(y.grad_fn()->inputs.empty());
  BOOST_CHECK(saved.expired());
  BOOST_CHECK_THROW(y.backward(Tensor::full({4}, 1.0f)), std::logic_error);
}

BOOST_AUTO_TEST_CASE(detach_and_non_leaf_rules) {
  Tensor x = leaf({2}, {1.0f, 2.0f});
  Tensor y = x.detach() * x;  // only the second factor carries the gradient
  y.backward(Tensor::full({2}, 1.0f));
  check_values(x.grad(), {1.0f, 2.0f});
  BOOST_CHECK_THROW((x * x).set_requires_grad(false), std::logic_error);
  BOOST_CHECK_THROW(Tensor::zeros({2}).backward(), std::logic_error);
}

BOOST_AUTO_TEST_CASE(gradients_flow_through_views) {
  // y = slice(permute(x)) * 2: the gradient lands on exactly the sliced elements of x.
  Tensor x = leaf({2, 3}, {0, 1, 2, 3, 4, 5});
  Tensor y = slice(permute(x, {1, 0}), 0, 1, 3) * 2.0f;  // rows 1..2 of x^T: x[:, 1:3]^T
  check_values(y.contiguous(), {2, 8, 4, 10});
  y.backward(Tensor::full({2, 2}, 1.0f));
  check_values(x.grad(), {0, 2, 2, 0, 2, 2});
}

BOOST_AUTO_TEST_CASE(implicit_gradient_needs_one_element) {
  Tensor x = leaf({2}, {1.0f, 2.0f});
  BOOST_CHECK_THROW((x * x).backward(), ShapeError);
  BOOST_CHECK_THROW((x * x).backward(Tensor::zeros({3})), ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()
