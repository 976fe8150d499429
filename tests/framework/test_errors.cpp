// Error paths: mismatched shapes and bad axes raise ShapeError naming the op and the shapes.
#include <boost/test/unit_test.hpp>

#include "framework/ops.h"

using namespace kasf;

namespace {
// Checks that `f` throws ShapeError and that its message contains every fragment.
template <typename F>
void expect_shape_error(F f, std::initializer_list<const char*> fragments) {
  try {
    f();
    BOOST_ERROR("no exception");
  } catch (const ShapeError& e) {
    std::string message = e.what();
    for (const char* fragment : fragments)
      BOOST_CHECK_MESSAGE(message.find(fragment) != std::string::npos, "'" << message << "' lacks '" << fragment << "'");
  }
}
}  // namespace

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(broadcast_mismatch_names_op_and_shapes) {
  Tensor a = Tensor::zeros({2, 3}), b = Tensor::zeros({4, 3});
  expect_shape_error([&] { add(a, b); }, {"add", "(2, 3)", "(4, 3)"});
  expect_shape_error([&] { mul(a, Tensor::zeros({2})); }, {"mul", "(2, 3)", "(2,)"});
  expect_shape_error([&] { where(Tensor::zeros({5}), a, a); }, {"where"});
}

BOOST_AUTO_TEST_CASE(bad_axes) {
  Tensor x = Tensor::zeros({2, 3, 4});
  expect_shape_error([&] { permute(x, {0, 1}); }, {"permute", "(2, 3, 4)"});
  expect_shape_error([&] { permute(x, {0, 0, 1}); }, {"permute", "repeated"});
  expect_shape_error([&] { transpose(x, 0, 3); }, {"transpose", "axis 3"});
  expect_shape_error([&] { slice(x, 1, 2, 5); }, {"slice", "(2, 3, 4)"});
  expect_shape_error([&] { squeeze(x, 0); }, {"squeeze"});
  expect_shape_error([&] { sum(x, {-4}); }, {"sum", "axis -4"});
  expect_shape_error([&] { softmax(Tensor::zeros({})); }, {"softmax"});
}

BOOST_AUTO_TEST_CASE(reshape_and_concat_mismatch) {
  Tensor x = Tensor::zeros({2, 3});
  expect_shape_error([&] { reshape(x, {4, 2}); }, {"reshape", "(2, 3)", "(4, 2)"});
  expect_shape_error([&] { reshape(x, {-1, -1}); }, {"reshape", "-1"});
  expect_shape_error([&] { concat({x, Tensor::zeros({3, 3})}, 1); }, {"concat", "(2, 3)", "(3, 3)"});
}

BOOST_AUTO_TEST_CASE(linear_algebra_and_norm_mismatch) {
  expect_shape_error([&] { matmul(Tensor::zeros({2, 3}), Tensor::zeros({4, 5})); }, {"matmul", "(2, 3)", "(4, 5)"});
  expect_shape_error([&] { linear(Tensor::zeros({7, 3}), Tensor::zeros({4, 5}), Tensor()); }, {"linear", "(7, 3)", "(4, 5)"});
  expect_shape_error([&] { layer_norm(Tensor::zeros({2, 8}), Tensor::zeros({7}), Tensor::zeros({7})); }, {"layer_norm", "(7,)"});
}

BOOST_AUTO_TEST_SUITE_END()
