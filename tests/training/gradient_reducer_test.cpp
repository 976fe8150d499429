// The bucketed gradient reducer against a stand-in communicator of two ranks whose other rank has
// the same gradients: sums are doubled, buckets start while backward runs (or after it without
// overlap), and parameters backward did not reach keep no gradient.
#include <boost/test/unit_test.hpp>

#include "distributed/gradient_reducer.h"
#include "framework/autograd.h"
#include "framework/ops.h"

namespace kasf::distributed {
namespace {

class MirroredRank final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 2; }
  int64_t start_sum(const Tensor& values, const char*) override {
    started.push_back(values);
    return static_cast<int64_t>(started.size()) - 1;
  }
  void poll() override {}
  void wait(int64_t ticket) override {
    for (; done <= ticket; ++done) started[done].copy_from(mul_scalar(started[done], 2.0f));
  }
  std::vector<std::vector<float>> all_gather(std::span<const float> local, const char*) override {
    return {{local.begin(), local.end()}, {local.begin(), local.end()}};
  }
  std::vector<Tensor> started;
  int64_t done = 0;
};

Tensor parameter(const Shape& shape, float value) {
  Tensor t = Tensor::full(shape, value);
  t.set_requires_grad(true);
  return t;
}

struct Model {
  Tensor w1 = parameter({3}, 0.5f), w2 = parameter({2, 3}, -1.0f), unused = parameter({4}, 1.0f);
  std::vector<Tensor> parameters() const { return {w1, w2, unused}; }
  // loss = sum(w2 * w1 * x): d/dw1 = sum over rows of w2 * x, d/dw2 = w1 * x.
  Tensor loss() const { return sum(mul(w2, mul(w1, Tensor::from_vector({3}, {1.0f, 2.0f, 3.0f})))); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(gradient_reducer)

BOOST_AUTO_TEST_CASE(buckets_start_during_backward_and_sum_over_the_ranks) {
  for (const bool overlap : {true, false}) {
    Model model;
    MirroredRank communicator;
    // Buckets of 4 floats: {unused}, {w2}, {w1} in reverse registration order.
    GradientReducer reducer(communicator, model.parameters(), {.bucket_bytes = 16, .overlap = overlap});
    run_backward(model.loss(), Tensor::scalar(1.0f), [&](TensorImpl* leaf) { reducer.gradient_ready(leaf); });
    BOOST_TEST(communicator.started.size() == (overlap ? 2u : 0u));  // w1's and w2's, not unused's
    const std::vector<float> w1_grad = model.w1.grad().to_vector(), w2_grad = model.w2.grad().to_vector();
    BOOST_TEST(w1_grad == (std::vector<float>{-2.0f, -4.0f, -6.0f}));  // this rank's, before the sum
    reducer.finish();
    BOOST_TEST(communicator.started.size() == 3u);
    for (size_t i = 0; i < w1_grad.size(); ++i) BOOST_TEST(model.w1.grad().to_vector()[i] == 2 * w1_grad[i]);
    for (size_t i = 0; i < w2_grad.size(); ++i) BOOST_TEST(model.w2.grad().to_vector()[i] == 2 * w2_grad[i]);
    BOOST_TEST(!model.unused.grad().defined());
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kasf::distributed
