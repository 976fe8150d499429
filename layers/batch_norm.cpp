#include "layers/batch_norm.h"

#include "framework/autograd.h"
#include "framework/ops.h"

namespace kasf {

BatchNorm1d::BatchNorm1d(int64_t channels, float momentum, float eps) : momentum_(momentum), eps_(eps) {
  weight_ = register_parameter("weight", Tensor::full({channels}, 1.0f));
  bias_ = register_parameter("bias", Tensor::zeros({channels}));
  running_mean_ = register_buffer("running_mean", Tensor::zeros({channels}));
  running_var_ = register_buffer("running_var", Tensor::full({channels}, 1.0f));
  num_batches_tracked_ = register_buffer("num_batches_tracked", Tensor::scalar(0.0f));
}

Tensor BatchNorm1d::forward(const Tensor& x) const {
  // A recomputation for the backward (recompute_in_backward) normalises again but must not count
  // the batch a second time in the running statistics.
  if (recomputing() && training()) return batch_norm(x, weight_, bias_, Tensor(), Tensor(), true, momentum_, eps_);
  Tensor y = batch_norm(x, weight_, bias_, running_mean_, running_var_, training(), momentum_, eps_);
  if (training()) {
    NoGradGuard no_grad;
    num_batches_tracked_.copy_from(add_scalar(num_batches_tracked_, 1.0f));
  }
  return y;
}

}  // namespace kasf
