// Elementwise ops: broadcasting arithmetic, multiply-add, scalar and unary maps, comparisons and where.
#include <cmath>

#include "framework/ops.h"
#include "framework/ops/op_support.h"
#include "framework/unary_ops.h"

namespace kasf {

namespace detail {

Layout broadcast_layout(const Tensor& t, const Shape& out) {
  Shape strides(out.size(), 0);
  const size_t lead = out.size() - t.shape().size();
  for (size_t i = 0; i < t.shape().size(); ++i)
    strides[lead + i] = t.shape()[i] == out[lead + i] ? t.strides()[i] : 0;
  return Layout::of(out, strides);
}

void check_same_device(const char* op, std::initializer_list<const Tensor*> tensors) {
  const Tensor* first = nullptr;
  for (const Tensor* t : tensors) {
    if (!t->defined()) continue;
    if (!first) first = t;
    else if (t->device() != first->device())
      throw std::invalid_argument(std::string(op) + ": tensors on different devices (" + describe(*first) +
                                  " and " + describe(*t) + ")");
  }
}

}  // namespace detail

using detail::broadcast_layout;
using detail::dense;

namespace {

Tensor binary_forward(BinaryOp op, const Tensor& a, const Tensor& b, const char* name) {
  detail::check_same_device(name, {&a, &b});
  Shape out_shape = broadcast_shapes(a.shape(), b.shape(), name);
  Tensor out = Tensor::empty(out_shape, a.device());
  a.backend().binary(op, a.data(), broadcast_layout(a, out_shape), b.data(), broadcast_layout(b, out_shape),
                     out.data(), out.layout());
  return out;
}

// The broadcast shape of a three-operand op's operands, which must share a device.
Shape ternary_shape(const char* name, const Tensor& a, const Tensor& b, const Tensor& c) {
  detail::check_same_device(name, {&a, &b, &c});
  return broadcast_shapes(broadcast_shapes(a.shape(), b.shape(), name), c.shape(), name);
}

Tensor unary_forward(UnaryOp op, float alpha, const Tensor& x, const char* name) {
  Tensor xd = dense(x);
  Tensor y = Tensor::empty(x.shape(), x.device());
  x.backend().unary(op, alpha, xd.data(), y.data(), y.numel());
  const UnaryReads reads = unary_reads(op);
  return record(y, name, {x}, [op, alpha, xs = reads.x ? xd : Tensor(), ys = reads.y ? y.detach() : Tensor()](
                                  const Tensor& g, Grads& grads) {
    Tensor gd = dense(g);
    Tensor gx = Tensor::empty(gd.shape(), gd.device());
    // An operand the derivative does not read gets the gradient's buffer in its place.
    gd.backend().unary_backward(op, alpha, xs.defined() ? xs.data() : gd.data(), ys.defined() ? ys.data() : gd.data(),
                                gd.data(), gx.data(), gx.numel());
    grads.set(0, gx);
  });
}

}  // namespace

Tensor add(const Tensor& a, const Tensor& b) {
  return record(binary_forward(BinaryOp::Add, a, b, "add"), "add", {a, b},
                [sa = a.shape(), sb = b.shape()](const Tensor& g, Grads& grads) {
                  if (grads.needs(0)) grads.set(0, sum_to(g, sa));
                  if (grads.needs(1)) grads.set(1, sum_to(g, sb));
                });
}

Tensor sub(const Tensor& a, const Tensor& b) {
  return record(binary_forward(BinaryOp::Sub, a, b, "sub"), "sub", {a, b},
                [sa = a.shape(), sb = b.shape()](const Tensor& g, Grads& grads) {
                  if (grads.needs(0)) grads.set(0, sum_to(g, sa));
                  if (grads.needs(1)) grads.set(1, sum_to(neg(g), sb));
                });
}

Tensor mul(const Tensor& a, const Tensor& b) {
  return record(binary_forward(BinaryOp::Mul, a, b, "mul"), "mul", {a, b},
                [ad = a.detach(), bd = b.detach()](const Tensor& g, Grads& grads) {
                  if (grads.needs(0)) grads.set(0, sum_to(mul(g, bd), ad.shape()));
                  if (grads.needs(1)) grads.set(1, sum_to(mul(g, ad), bd.shape()));
                });
}

Tensor div(const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward(BinaryOp::Div, a, b, "div");
  return record(out, "div", {a, b}, [bd = b.detach(), od = out.detach(), sa = a.shape()](const Tensor& g, Grads& grads) {
    Tensor g_over_b = div(g, bd);
    if (grads.needs(0)) grads.set(0, sum_to(g_over_b, sa));
    // d(a/b)/db = -(a/b)/b
    if (grads.needs(1)) grads.set(1, sum_to(neg(mul(g_over_b, od)), bd.shape()));
  });
}

Tensor multiply_add(const Tensor& a, const Tensor& b, const Tensor& c) {
  const Shape out_shape = ternary_shape("multiply_add", a, b, c);
  Tensor out = Tensor::empty(out_shape, a.device());
  a.backend().multiply_add(a.data(), broadcast_layout(a, out_shape), b.data(), broadcast_layout(b, out_shape),
                           c.data(), broadcast_layout(c, out_shape), out.data(), out.layout());
  return record(out, "multiply_add", {a, b, c},
                [sa = a.shape(), bd = b.detach(), cd = c.detach()](const Tensor& g, Grads& grads) {
                  if (grads.needs(0)) grads.set(0, sum_to(g, sa));
                  if (grads.needs(1)) grads.set(1, sum_to(mul(g, cd), bd.shape()));
                  if (grads.needs(2)) grads.set(2, sum_to(mul(g, bd), cd.shape()));
                });
}

Tensor add_scalar(const Tensor& x, float s) { return unary_forward(UnaryOp::AddScalar, s, x, "add_scalar"); }
Tensor mul_scalar(const Tensor& x, float s) { return unary_forward(UnaryOp::MulScalar, s, x, "mul_scalar"); }
Tensor neg(const Tensor& x) { return unary_forward(UnaryOp::Neg, 0.0f, x, "neg"); }
Tensor pow_scalar(const Tensor& x, float e) { return unary_forward(UnaryOp::PowScalar, e, x, "pow_scalar"); }
Tensor sqrt(const Tensor& x) { return unary_forward(UnaryOp::Sqrt, 0.0f, x, "sqrt"); }
Tensor exp(const Tensor& x) { return unary_forward(UnaryOp::Exp, 0.0f, x, "exp"); }
Tensor log(const Tensor& x) { return unary_forward(UnaryOp::Log, 0.0f, x, "log"); }
Tensor relu(const Tensor& x) { return unary_forward(UnaryOp::Relu, 0.0f, x, "relu"); }
Tensor gelu(const Tensor& x) { return unary_forward(UnaryOp::Gelu, 0.0f, x, "gelu"); }
Tensor tanh(const Tensor& x) { return unary_forward(UnaryOp::Tanh, 0.0f, x, "tanh"); }
Tensor sigmoid(const Tensor& x) { return unary_forward(UnaryOp::Sigmoid, 0.0f, x, "sigmoid"); }

Tensor eq(const Tensor& a, const Tensor& b) { return binary_forward(BinaryOp::Eq, a, b, "eq"); }
Tensor gt(const Tensor& a, const Tensor& b) { return binary_forward(BinaryOp::Gt, a, b, "gt"); }
Tensor ge(const Tensor& a, const Tensor& b) { return binary_forward(BinaryOp::Ge, a, b, "ge"); }

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  const Shape out_shape = ternary_shape("where", cond, a, b);
  Tensor out = Tensor::empty(out_shape, a.device());
  a.backend().select(cond.data(), broadcast_layout(cond, out_shape), a.data(), broadcast_layout(a, out_shape),
                     b.data(), broadcast_layout(b, out_shape), out.data(), out.layout());
  return record(out, "where", {a, b}, [cd = cond.detach(), sa = a.shape(), sb = b.shape()](const Tensor& g, Grads& grads) {
    Tensor zero = Tensor::zeros({}, g.device());
    if (grads.needs(0)) grads.set(0, sum_to(where(cd, g, zero), sa));
    if (grads.needs(1)) grads.set(1, sum_to(where(cd, zero, g), sb));
  });
}

}  // namespace kasf
