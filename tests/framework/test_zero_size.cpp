// Tensors with a zero-size dimension (an empty batch, a border of zero rows) flow through copies,
// concatenation, elementwise ops and backward on every backend, as in PyTorch.
#include <boost/test/unit_test.hpp>

#include "framework/autograd.h"
#include "framework/ops.h"
#include "tests/framework/test_devices.h"

using namespace kasf;

BOOST_AUTO_TEST_SUITE(zero_size)

BOOST_AUTO_TEST_CASE(zero_size_pieces_copy_concatenate_and_differentiate) {
  test::on_every_device([](Device d) {
    // Zero-size innermost and outer dimensions.
    const Tensor empty_inner = Tensor::zeros({2, 3, 0}, d);
    const Tensor empty_outer = Tensor::full({0, 3, 4}, 1.0f, d);
    BOOST_TEST(empty_inner.numel() == 0);
    BOOST_TEST((empty_inner + empty_inner).numel() == 0);
    BOOST_TEST(empty_outer.contiguous().numel() == 0);
    BOOST_TEST(transpose(empty_outer, 0, 2).contiguous().numel() == 0);

    Tensor x = Tensor::from_vector({2, 1, 2}, {1, 2, 3, 4}, d);
    x.set_requires_grad(true);
    const Tensor joined = concat({Tensor::zeros({2, 0, 2}, d), x, Tensor::zeros({2, 0, 2}, d)}, 1);
    BOOST_TEST((joined.to_vector() == std::vector<float>{1, 2, 3, 4}));
    const Tensor wide = concat({x, Tensor::zeros({2, 1, 0}, d)}, 2);
    BOOST_TEST((wide.shape() == Shape{2, 1, 2}));
    sum(joined * joined + wide).backward();
    BOOST_TEST((x.grad().to_vector() == std::vector<float>{3, 5, 7, 9}));
  });
}

BOOST_AUTO_TEST_SUITE_END()
