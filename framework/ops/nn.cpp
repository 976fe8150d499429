// Neural-network ops: softmax, layer and batch normalisation, dropout.
#include <optional>
#include <stdexcept>
#include <string>

#include "framework/autograd.h"
#include "framework/data_parallel.h"
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

// Values per sample of a tensor whose leading axis holds the step's shard of the batch (possibly
// merged with further axes, as (B * J, ...)).
int64_t values_per_sample(const char* op, const Tensor& x, const BatchShard& shard) {
  if (shard.size <= 0 || x.numel() % shard.size != 0)
    throw_shape_error(op, "input " + to_string(x.shape()) + " does not hold " + std::to_string(shard.size) +
                              " samples of the data-parallel step");
  return x.numel() / shard.size;
}

// Per channel, as (C) for an (N, C) input or (C, 1) for an (N, C, L) one, to broadcast over x.
Tensor per_channel(const Tensor& v, const Tensor& x) { return x.rank() == 3 ? reshape(v, {v.numel(), 1}) : v; }

// Turns this process's batch mean and biased variance into the global batch's: the count-weighted
// mean first, then each process's sum of squares about that mean (its variance plus the shift of
// its mean), so that no E[x^2] - E[x]^2 cancels.
void synchronise_batch_stats(const DataParallelStep& step, Tensor& mean, Tensor& var, float local_count,
                             float global_count) {
  Tensor sum_x = mul_scalar(mean, local_count);
  step.sum->sum(sum_x);
  Tensor global_mean = mul_scalar(sum_x, 1.0f / global_count);
  Tensor shift = sub(mean, global_mean);
  Tensor squares = mul_scalar(add(var, mul(shift, shift)), local_count);
  step.sum->sum(squares);
  mean = global_mean;
  var = mul_scalar(squares, 1.0f / global_count);
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
  // Synchronised over a data-parallel step, the statistics are those of the global batch.
  const DataParallelStep* step = training ? data_parallel_step() : nullptr;
  const int64_t global_values =
      step ? values_per_sample("batch_norm", x, step->shard) / channels * step->shard.global : count;
  if (training && global_values < 2)
    throw_shape_error("batch_norm",
                      "training needs more than one value per channel, got input " + to_string(x.shape()));
  const auto global_count = static_cast<float>(global_values);
  Backend& be = x.backend();
  Tensor xd = detail::dense(x), gd = gamma.defined() ? detail::dense(gamma) : Tensor();
  Tensor bd = beta.defined() ? detail::dense(beta) : Tensor();
  Tensor mean, var;
  if (training) {
    mean = Tensor::empty({channels}, x.device());
    var = Tensor::empty({channels}, x.device());
    be.batch_norm_stats(xd.data(), mean.data(), var.data(), n, channels, inner);
    if (step) synchronise_batch_stats(*step, mean, var, static_cast<float>(count), global_count);
    if (running_mean.defined()) {  // PyTorch updates the running variance with the unbiased estimate
      update_running(running_mean, mean, momentum);
      update_running(running_var, mul_scalar(var, global_count / (global_count - 1.0f)), momentum);
    }
  } else {
    mean = detail::dense(running_mean).clone();  // the backward must not see later in-place updates
    var = detail::dense(running_var);
  }
  Tensor rstd = inverse_std(var, eps);
  Tensor y = Tensor::empty(x.shape(), x.device());
  be.batch_norm_apply(xd.data(), mean.data(), rstd.data(), detail::data_or_null(gd), detail::data_or_null(bd), y.data(), n, channels,
                      inner);
  const std::optional<DataParallelStep> synchronised = step ? std::optional(*step) : std::nullopt;
  return record(y, "batch_norm", {x, gamma, beta},
                [xd, gd, mean, rstd, n, channels, inner, training, synchronised, global_count](const Tensor& g,
                                                                                             Grads& grads) {
                  Tensor gyd = detail::dense(g);
                  Tensor gx, ggamma, gbeta;
                  if (grads.needs(0)) gx = Tensor::empty(xd.shape(), xd.device());
                  // Synchronised, the reductions over the batch are needed whatever the parameters need.
                  if (grads.needs(1) || synchronised) ggamma = Tensor::empty({channels}, xd.device());
                  if (grads.needs(2) || synchronised) gbeta = Tensor::empty({channels}, xd.device());
                  xd.backend().batch_norm_backward(xd.data(), mean.data(), rstd.data(), detail::data_or_null(gd), gyd.data(),
                                                   detail::data_or_null(gx), detail::data_or_null(ggamma), detail::data_or_null(gbeta), n,
                                                   channels, inner, training && !synchronised);
                  if (gx.defined() && synchronised) {
                    // gx = gamma * rstd * (gy - sum gy / count - xhat * sum gy * xhat / count) over the
                    // global batch; the backend gave gamma * rstd * gy and this process's sums.
                    Tensor sums = concat({gbeta, ggamma}, 0);
                    synchronised->sum->sum(sums);
                    const Tensor sum_g = per_channel(slice(sums, 0, 0, channels), xd);
                    const Tensor sum_g_xhat = per_channel(slice(sums, 0, channels, 2 * channels), xd);
                    const Tensor scale = per_channel(gd.defined() ? mul(rstd, gd) : rstd, xd);
                    const Tensor xhat = mul(sub(xd, per_channel(mean, xd)), per_channel(rstd, xd));
                    gx = sub(gx, mul_scalar(mul(scale, add(sum_g, mul(xhat, sum_g_xhat))), 1.0f / global_count));
                  }
                  if (gx.defined()) grads.set(0, gx);
                  if (ggamma.defined()) grads.set(1, ggamma);
                  if (gbeta.defined()) grads.set(2, gbeta);
                });
}

Tensor dropout(const Tensor& x, float p, bool training, Generator& generator) {
  if (!(p >= 0.0f && p <= 1.0f)) throw std::invalid_argument("dropout: p = " + std::to_string(p) + " is not in [0, 1]");
  if (!training || p == 0.0f) return x;
  Tensor mask = Tensor::empty(x.shape(), x.device());
  // In a data-parallel step each sample's mask comes from the counters its place in the global batch
  // gives it, so that N processes draw what one process draws.
  uint64_t offset;
  if (const DataParallelStep* step = data_parallel_step()) {
    const auto per_sample = static_cast<uint64_t>(values_per_sample("dropout", x, step->shard));
    offset = generator.advance(per_sample * step->shard.global) + per_sample * step->shard.first;
  } else {
    offset = generator.advance(static_cast<uint64_t>(x.numel()));
  }
  x.backend().dropout_mask(mask.data(), mask.numel(), p, generator.seed(), offset);
  return mul(x, mask);  // its backward is g * mask
}

}  // namespace kasf
