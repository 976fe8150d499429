// CudaBackend: LayerNorm (warp-per-row kernels) and BatchNorm (elementwise kernels around
// per-channel sums); parameter gradients are column sums through sum_axis.
#include <optional>

#include "framework/cuda/cuda_backend.h"
#include "framework/cuda/kernels/norm.cuh"
#include "framework/cuda/launch.h"

namespace kasf::KASF_CUDA_NS {

void CudaBackend::layer_norm(const float* x, const float* gamma, const float* beta, float* y, float* mean,
                             float* rstd, int64_t rows, int64_t cols, float eps) {
  KASF_RUN_KERNEL(layer_norm_kernel, blocks_for_warps(rows), "layer_norm", x, gamma, beta, y, mean, rstd, rows, cols,
                  eps);
}

void CudaBackend::layer_norm_backward(const float* x, const float* gamma, const float* mean, const float* rstd,
                                      const float* gy, float* gx, float* ggamma, float* gbeta, int64_t rows,
                                      int64_t cols) {
  std::optional<CachedBlock> gy_xhat;
  if (ggamma) gy_xhat.emplace(allocator_, static_cast<size_t>(rows * cols) * sizeof(float));
  float* gy_xhat_data = gy_xhat ? gy_xhat->as<float>() : nullptr;
  KASF_RUN_KERNEL(layer_norm_backward_kernel, blocks_for_warps(rows), "layer_norm_backward", x, gamma, mean, rstd,
                  gy, gx, gy_xhat_data, rows, cols);
  if (ggamma) sum_axis(gy_xhat_data, ggamma, 1, rows, cols);
  if (gbeta) sum_axis(gy, gbeta, 1, rows, cols);
}

void CudaBackend::channel_sums(const float* x, float* sums, int64_t n, int64_t channels, int64_t inner) {
  CachedBlock per_sample(allocator_, static_cast<size_t>(n * channels) * sizeof(float));
  sum_axis(x, per_sample.as<float>(), n * channels, inner, 1);
  sum_axis(per_sample.as<float>(), sums, 1, n, channels);
}

void CudaBackend::batch_norm_stats(const float* x, float* mean, float* var, int64_t n, int64_t channels,
                                   int64_t inner) {
  const int64_t count = n * channels * inner;
  const float inv_per_channel = 1.0f / static_cast<float>(n * inner);
  channel_sums(x, mean, n, channels, inner);
  unary(UnaryOp::MulScalar, inv_per_channel, mean, mean, channels);
  // Second pass around the mean, as the CPU backend: no cancellation for data far from zero.
  CachedBlock squares(allocator_, static_cast<size_t>(count) * sizeof(float));
  KASF_RUN_KERNEL(centered_product_kernel, blocks_for_threads(count), "batch_norm_stats", x, mean,
                  static_cast<const float*>(nullptr), static_cast<const float*>(nullptr), squares.as<float>(), count,
                  channels, inner);
  channel_sums(squares.as<float>(), var, n, channels, inner);
  unary(UnaryOp::MulScalar, inv_per_channel, var, var, channels);
}

void CudaBackend::batch_norm_apply(const float* x, const float* mean, const float* rstd, const float* gamma,
                                   const float* beta, float* y, int64_t n, int64_t channels, int64_t inner) {
  const int64_t count = n * channels * inner;
  KASF_RUN_KERNEL(batch_norm_apply_kernel, blocks_for_threads(count), "batch_norm_apply", x, mean, rstd, gamma, beta,
                  y, count, channels, inner);
}

void CudaBackend::batch_norm_backward(const float* x, const float* mean, const float* rstd, const float* gamma,
                                      const float* gy, float* gx, float* ggamma, float* gbeta, int64_t n,
                                      int64_t channels, int64_t inner, bool batch_stats) {
  const int64_t count = n * channels * inner;
  // sum gy * xhat and sum gy per channel: the parameter gradients, and terms of gx in training.
  CachedBlock sums(allocator_, static_cast<size_t>(2 * channels) * sizeof(float));
  float* sum_gy_xhat = sums.as<float>();
  float* sum_gy = sum_gy_xhat + channels;
  {
    CachedBlock gy_xhat(allocator_, static_cast<size_t>(count) * sizeof(float));
    KASF_RUN_KERNEL(centered_product_kernel, blocks_for_threads(count), "batch_norm_backward", x, mean, rstd, gy,
                    gy_xhat.as<float>(), count, channels, inner);
    channel_sums(gy_xhat.as<float>(), sum_gy_xhat, n, channels, inner);
  }
  channel_sums(gy, sum_gy, n, channels, inner);
  const Layout per_channel = Layout::contiguous({channels});
  if (ggamma) copy(sum_gy_xhat, per_channel, ggamma, per_channel);
  if (gbeta) copy(sum_gy, per_channel, gbeta, per_channel);
  if (!gx) return;
  KASF_RUN_KERNEL(batch_norm_backward_kernel, blocks_for_threads(count), "batch_norm_backward", x, mean, rstd, gamma,
                  gy, sum_gy_xhat, sum_gy, gx, count, channels, inner, batch_stats);
}

}  // namespace kasf::KASF_CUDA_NS
