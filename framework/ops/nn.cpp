// Neural-network ops: softmax, layer and batch normalisation, dropout.
#include <stdexcept>
#include <string>

#include "framework/autograd.h"
#include "framework/ops.h"
#include "framework/ops/op_support.h"

namespace kasf {

namespace {

// Throws unless `param` is undefined or a vector of `size` values.
void check_vector(const char* op, const char* what, const Tensor& param, int64_t size, const Tensor& x) {
  if (param.defined() && (param.rank() != 1 || param.size(0) != size))
    throw_shape_error(op, std::string(what) + " " + to_string(param.shape()) + " does not match " +
                              std::to_string(size) + " features of input " + to_string(x.shape()));
}

void check_affine(const char* op, const Tensor& gamma, const Tensor& beta, int64_t size, const Tensor& x) {
  if (gamma.defined() != beta.defined()) throw_shape_error(op, "weight and bias must be given together");
  check_vector(op, "weight", gamma, size, x);
  check_vector(op, "bias", beta, size, x);
}

// 1 / sqrt(var + eps), elementwise.
Tensor inverse_std(const Tensor& var, float eps) {
  Backend& be = var.backend();
  Tensor out = Tensor::empty(var.shape(), var.device());
  be.unary(UnaryOp::AddScalar, eps, var.data(), out.data(), out.numel());
  be.unary(UnaryOp::Rsqrt, 0.0f, out.data(), out.data(), out.numel());
  return out;
}

// running = (1 - momentum) * running + momentum * batch, in place and outside the graph.
void update_running(const Tensor& running, const Tensor& batch, float momentum) {
  NoGradGuard no_grad;
  running.copy_from(add(mul_scalar(running.detach(), 1.0f - momentum), mul_scalar(batch, momentum)));
}

}  // namespace

Tensor softmax(const Tensor& x) {
  if (x.rank() == 0) throw_shape_error("softmax", "needs at least one axis, got a scalar");
  const int64_t cols = x.size(-1), rows = cols ? x.numel() / cols : 0;
  Tensor xd = detail::dense(x);
  Tensor y = Tensor::empty(x.shape(), x.device());
  x.backend().softmax(xd.data(), y.data(), rows, cols);
  return record(y, "softmax", {x}, [yd = y.detach(), rows, cols](const Tensor& g, Grads& grads) {
    Tensor gd = detail::dense(g);
    Tensor gx = Tensor::empty(yd.shape(), yd.device());
    g.backend().softmax_backward(yd.data(), gd.data(), gx.data(), rows, cols);
    grads.set(0, gx);
  });
}

Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps) {
  if (x.rank() == 0) throw_shape_error("layer_norm", "needs at least one axis, got a scalar");
  detail::check_same_device("layer_norm", {&x, &gamma, &beta});
  const int64_t cols = x.size(-1), rows = cols ? x.numel() / cols : 0;
  check_affine("layer_norm", gamma, beta, cols, x);
  Tensor xd = detail::dense(x), gd = gamma.defined() ? detail::dense(gamma) : Tensor();
  Tensor bd = beta.defined() ? detail::dense(beta) : Tensor();
  Tensor y = Tensor::empty(x.shape(), x.device());
  Tensor mean = Tensor::empty({rows}, x.device()), rstd = Tensor::empty({rows}, x.device());
  x.backend().layer_norm(xd.data(), detail::data_or_null(gd), detail::data_or_null(bd), y.data(), mean.data(), rstd.data(), rows, cols,
                         eps);
  return record(y, "layer_norm", {x, gamma, beta}, [xd, gd, mean, rstd, rows, cols](const Tensor& g, Grads& grads) {
    Tensor gyd = detail::dense(g);
    Tensor gx = Tensor::empty(xd.shape(), xd.device());
    Tensor ggamma, gbeta;
    if (grads.needs(1)) ggamma = Tensor::empty({cols}, xd.device());
    if (grads.needs(2)) gbeta = Tensor::empty({cols}, xd.device());
    xd.backend().layer_norm_backward(xd.data(), detail::data_or_null(gd), mean.data(), rstd.data(), gyd.data(), gx.data(),
                                     detail::data_or_null(ggamma), detail::data_or_null(gbeta), rows, cols);
    grads.set(0, gx);
    if (ggamma.defined()) grads.set(1, ggamma);
    if (gbeta.defined()) grads.set(2, gbeta);
  });
}

Tensor batch_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, const Tensor& running_mean,
                  const Tensor& running_var, bool training, float momentum, float eps) {
  if (x.rank() != 2 && x.rank() != 3)
    throw_shape_error("batch_norm", "needs input (N, C) or (N, C, L), got " + to_string(x.shape()));
  detail::check_same_device("batch_norm", {&x, &gamma, &beta, &running_mean, &running_var});
  const int64_t n = x.size(0), channels = x.size(1), inner = x.rank() == 3 ? x.size(2) : 1;
  check_affine("batch_norm", gamma, beta, channels, x);
  check_vector("batch_norm", "running_mean", running_mean, channels, x);
  check_vector("batch_norm", "running_var", running_var, channels, x);
  if (running_mean.defined() != running_var.defined())
    throw_shape_error("batch_norm", "running_mean and running_var must be given together");
  if (!training && !running_mean.defined()) throw_shape_error("batch_norm", "evaluation mode needs running statistics");
  const int64_t count = n * inner;
  if (training && count < 2)
    throw_shape_error("batch_norm",
                      "training needs more than one value per channel, got input " + to_string(x.shape()));
  Backend& be = x.backend();
  Tensor xd = detail::dense(x), gd = gamma.defined() ? detail::dense(gamma) : Tensor();
  Tensor bd = beta.defined() ? detail::dense(beta) : Tensor();
  Tensor mean, var;
  if (training) {
    mean = Tensor::empty({channels}, x.device());
    var = Tensor::empty({channels}, x.device());
    be.batch_norm_stats(xd.data(), mean.data(), var.data(), n, channels, inner);
    if (running_mean.defined()) {  // PyTorch updates the running variance with the unbiased estimate
      update_running(running_mean, mean, momentum);
      update_running(running_var, mul_scalar(var, static_cast<float>(count) / static_cast<float>(count - 1)), momentum);
    }
  } else {
    mean = detail::dense(running_mean).clone();  // the backward must not see later in-place updates
    var = detail::dense(running_var);
  }
  Tensor rstd = inverse_std(var, eps);
  Tensor y = Tensor::empty(x.shape(), x.device());
  be.batch_norm_apply(xd.data(), mean.data(), rstd.data(), detail::data_or_null(gd), detail::data_or_null(bd), y.data(), n, channels,
                      inner);
  return record(y, "batch_norm", {x, gamma, beta},
                [xd, gd, mean, rstd, n, channels, inner, training](const Tensor& g, Grads& grads) {
                  Tensor gyd = detail::dense(g);
                  Tensor gx, ggamma, gbeta;
                  if (grads.needs(0)) gx = Tensor::empty(xd.shape(), xd.device());
                  if (grads.needs(1)) ggamma = Tensor::empty({channels}, xd.device());
                  if (grads.needs(2)) gbeta = Tensor::empty({channels}, xd.device());
                  xd.backend().batch_norm_backward(xd.data(), mean.data(), rstd.data(), detail::data_or_null(gd), gyd.data(),
                                                   detail::data_or_null(gx), detail::data_or_null(ggamma), detail::data_or_null(gbeta), n,
                                                   channels, inner, training);
                  if (gx.defined()) grads.set(0, gx);
                  if (ggamma.defined()) grads.set(1, ggamma);
                  if (gbeta.defined()) grads.set(2, gbeta);
                });
}

Tensor dropout(const Tensor& x, float p, bool training, Generator& generator) {
  if (!(p >= 0.0f && p <= 1.0f)) throw std::invalid_argument("dropout: p = " + std::to_string(p) + " is not in [0, 1]");
  if (!training || p == 0.0f) return x;
  Tensor mask = Tensor::empty(x.shape(), x.device());
  const uint64_t offset = generator.advance(static_cast<uint64_t>(x.numel()));
  x.backend().dropout_mask(mask.data(), mask.numel(), p, generator.seed(), offset);
  return mul(x, mask);  // its backward is g * mask
}

}  // namespace kasf
