// Matrix products: batched matmul with broadcast batch dimensions, and linear layers.
//
// Operands go to the GEMM kernel as they lie in memory whenever their geometry allows it: a
// transposed view becomes a transpose flag, a broadcast batch becomes batch stride 0. Only views
// that no (ld, transpose, batch stride) triple describes are copied.
#include <algorithm>
#include <optional>

#include "framework/autograd.h"
#include "framework/ops.h"
#include "framework/ops/op_support.h"

namespace kasf {

namespace {

// How the GEMM kernel reads one operand: op(matrix b) starts at data + b * batch_stride.
struct GemmOperand {
  const float* data;
  bool trans;
  int64_t ld;
  int64_t batch_stride;
};

// The matrix part of `t` (its last two axes) as a GEMM operand, if one row or one column stride is 1.
std::optional<GemmOperand> matrix_geometry(const Tensor& t) {
  const int64_t rows = t.size(-2), cols = t.size(-1);
  const int64_t row_stride = t.strides()[t.rank() - 2], col_stride = t.strides()[t.rank() - 1];
  if (cols == 1 || col_stride == 1) {
    const int64_t ld = rows == 1 ? std::max<int64_t>(cols, 1) : row_stride;
    if (ld >= std::max<int64_t>(cols, 1)) return GemmOperand{t.data(), false, ld, 0};
  }
  if (rows == 1 || row_stride == 1) {
    const int64_t ld = cols == 1 ? std::max<int64_t>(rows, 1) : col_stride;
    if (ld >= std::max<int64_t>(rows, 1)) return GemmOperand{t.data(), true, ld, 0};
  }
  return std::nullopt;
}

// One stride that walks `t`'s batch axes, broadcast to `batch`, in row-major order, if one exists.
std::optional<int64_t> batch_stride(const Tensor& t, const Shape& batch) {
  const size_t lead = batch.size() - (t.shape().size() - 2);
  std::optional<int64_t> stride;  // of the innermost batch axis of size > 1
  int64_t expected = 0;           // what the next outer axis's stride must be
  for (size_t i = batch.size(); i-- > 0;) {
    if (batch[i] == 1) continue;
    const int64_t s = i < lead || t.shape()[i - lead] == 1 ? 0 : t.strides()[i - lead];
    if (stride && s != expected) return std::nullopt;
    if (!stride) stride = s;
    expected = s * batch[i];
  }
  return stride.value_or(0);
}

std::optional<GemmOperand> in_place_operand(const Tensor& t, const Shape& batch) {
  std::optional<GemmOperand> matrix = matrix_geometry(t);
  std::optional<int64_t> stride = batch_stride(t, batch);
  if (!matrix || !stride) return std::nullopt;
  matrix->batch_stride = *stride;
  return matrix;
}

// a @ b on raw geometry, without recording; shapes are already checked.
Tensor product(const Tensor& a, const Tensor& b) {
  const Shape batch = broadcast_shapes(Shape(a.shape().begin(), a.shape().end() - 2),
                                       Shape(b.shape().begin(), b.shape().end() - 2), "matmul");
  const int64_t m = a.size(-2), k = a.size(-1), n = b.size(-1);
  Shape out_shape = batch;
  out_shape.push_back(m);
  out_shape.push_back(n);
  Tensor out = Tensor::empty(out_shape, a.device());
  if (out.numel() == 0) return out;
  if (k == 0) {
    out.backend().fill(out.data(), out.numel(), 0.0f);
    return out;
  }
  // An operand no in-place geometry describes is broadcast into a dense copy held in `copy`.
  auto operand = [&batch](const Tensor& t, Tensor& copy) {
    if (std::optional<GemmOperand> direct = in_place_operand(t, batch)) return *direct;
    Shape shape = batch;
    shape.push_back(t.size(-2));
    shape.push_back(t.size(-1));
    copy = Tensor::empty(shape, t.device());
    t.backend().copy(t.data(), detail::broadcast_layout(t, shape), copy.data(), copy.layout());
    return *in_place_operand(copy, batch);
  };
  Tensor a_copy, b_copy;
  const GemmOperand ga = operand(a, a_copy), gb = operand(b, b_copy);
  a.backend().gemm({.trans_a = ga.trans, .trans_b = gb.trans, .m = m, .n = n, .k = k, .a = ga.data, .lda = ga.ld,
                    .stride_a = ga.batch_stride, .b = gb.data, .ldb = gb.ld, .stride_b = gb.batch_stride,
                    .c = out.data(), .ldc = n, .stride_c = m * n, .batch = numel(batch)});
  return out;
}

// The last two axes swapped, as a view.
Tensor matrix_transpose(const Tensor& t) { return transpose(t.detach(), -1, -2); }

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
  detail::check_same_device("matmul", {&a, &b});
  if (a.rank() < 2 || b.rank() < 2 || a.size(-1) != b.size(-2))
    throw_shape_error("matmul", "cannot multiply " + to_string(a.shape()) + " by " + to_string(b.shape()) +
                                    " (need (..., m, k) and (..., k, n))");
  Tensor out = product(a, b);
  return record(out, "matmul", {a, b}, [ad = a.detach(), bd = b.detach()](const Tensor& g, Grads& grads) {
    if (grads.needs(0)) grads.set(0, sum_to(product(g, matrix_transpose(bd)), ad.shape()));
    if (grads.needs(1)) {
      if (bd.rank() == 2 && ad.rank() > 2) {
        // A weight shared across the batch: one GEMM contracting over every batch row at once.
        Tensor a_rows = reshape(detail::dense(ad), {-1, ad.size(-1)});
        Tensor g_rows = reshape(detail::dense(g), {-1, g.size(-1)});
        grads.set(1, product(matrix_transpose(a_rows), g_rows));
      } else {
        grads.set(1, sum_to(product(matrix_transpose(ad), g), bd.shape()));
      }
    }
  });
}

namespace detail {

void linear_rows(const float* x, const Tensor& weight, const Tensor& bias, float* y, int64_t rows, float* activated,
                 UnaryOp activation) {
  const int64_t in = weight.size(1), out = weight.size(0);
  Backend& be = weight.backend();
  if (in == 0) {  // no product: y is the bias (or zeros)
    if (bias.defined())
      be.copy(bias.data(), Layout::of({rows, out}, {0, 1}), y, Layout::contiguous({rows, out}));
    else
      be.fill(y, rows * out, 0.0f);
    if (activated) be.unary(activation, 0.0f, y, activated, rows * out);
  } else if (rows > 0) {
    be.gemm({.trans_b = true, .m = rows, .n = out, .k = in, .a = x, .lda = in, .b = weight.data(), .ldb = in,
             .c = y, .ldc = out, .bias = bias.defined() ? bias.data() : nullptr, .activated = activated,
             .activation = activation});
  }
}

namespace {

// linear_rows_backward with gx's GEMM given its epilogue (`through`: derivative_at, activated and
// activation, when the input is an activation's output).
void backward_rows(const float* x, const Tensor& weight, const float* gy, float* gx, float* gw, float* gb,
                   int64_t rows, const GemmArgs& through) {
  const int64_t in = weight.size(1), out = weight.size(0);
  Backend& be = weight.backend();
  if (gx)
    be.gemm({.m = rows, .n = in, .k = out, .a = gy, .lda = out, .b = weight.data(), .ldb = in, .c = gx, .ldc = in,
             .activated = through.activated, .derivative_at = through.derivative_at, .activation = through.activation});
  else if (through.activated && gw)  // no gx pass to recompute x in
    be.unary(through.activation, 0.0f, through.derivative_at, through.activated, rows * in);
  if (gw) be.gemm({.trans_a = true, .m = out, .n = in, .k = rows, .a = gy, .lda = out, .b = x, .ldb = in, .c = gw, .ldc = in});
  if (gb) be.sum_axis(gy, gb, 1, rows, out);
}

}  // namespace

void linear_rows_backward(const float* x, const Tensor& weight, const float* gy, float* gx, float* gw, float* gb,
                          int64_t rows) {
  backward_rows(x, weight, gy, gx, gw, gb, rows, {});
}

void activated_linear_rows_backward(const float* pre, UnaryOp activation, float* x, const Tensor& weight,
                                    const float* gy, float* gx, float* gw, float* gb, int64_t rows) {
  backward_rows(x, weight, gy, gx, gw, gb, rows, {.activated = x, .derivative_at = pre, .activation = activation});
}

}  // namespace detail

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  detail::check_same_device("linear", {&x, &weight, &bias});
  if (x.rank() < 1 || weight.rank() != 2 || x.size(-1) != weight.size(1) ||
      (bias.defined() && (bias.rank() != 1 || bias.size(0) != weight.size(0))))
    throw_shape_error("linear", "input " + to_string(x.shape()) + ", weight " + to_string(weight.shape()) +
                                    (bias.defined() ? ", bias " + to_string(bias.shape()) : std::string()) +
                                    " (need (..., in), (out, in), (out,))");
  const int64_t rows = numel(Shape(x.shape().begin(), x.shape().end() - 1));
  Shape out_shape = x.shape();
  out_shape.back() = weight.size(0);
  Tensor y = Tensor::empty(out_shape, x.device());
  Tensor xd = detail::dense(x), wd = detail::dense(weight), bd = bias.defined() ? detail::dense(bias) : Tensor();
  detail::linear_rows(xd.data(), wd, bd, y.data(), rows);
  return record(y, "linear", {x, weight, bias}, [xd, wd, rows](const Tensor& g, Grads& grads) {
    Tensor gd = detail::dense(g);
    Tensor gx, gw, gb;
    if (grads.needs(0)) gx = Tensor::empty(xd.shape(), gd.device());
    if (grads.needs(1)) gw = Tensor::empty(wd.shape(), gd.device());
    if (grads.needs(2)) gb = Tensor::empty({wd.size(0)}, gd.device());
    detail::linear_rows_backward(xd.data(), wd, gd.data(), detail::data_or_null(gx), detail::data_or_null(gw),
                                 detail::data_or_null(gb), rows);
    if (gx.defined()) grads.set(0, gx);
    if (gw.defined()) grads.set(1, gw);
    if (gb.defined()) grads.set(2, gb);
  });
}

}  // namespace kasf
