// Normalisation kernels. LayerNorm is warp-per-row: its rows (17, 27, 128 or 512 wide) are too
// short to share out over a block, and a warp sums them with shuffles and no shared memory.
// BatchNorm is elementwise here; its per-channel sums go through the sum_axis kernels.
#pragma once
#include "framework/cuda/kernels/indexing.cuh"

namespace kasf::KASF_CUDA_NS {

// Two passes over the row (mean, then squared deviations), as the CPU backend.
__global__ void layer_norm_kernel(const float* x, const float* gamma, const float* beta, float* y, float* mean,
                                  float* rstd, int64_t rows, int64_t cols, float eps) {
  for (int64_t row = global_warp(); row < rows; row += grid_warps()) {
    const float* xr = x + row * cols;
    float partial = 0.0f;
    for (int64_t c = lane(); c < cols; c += warpSize) partial += xr[c];
    const float mu = warp_sum(partial) / static_cast<float>(cols);
    partial = 0.0f;
    for (int64_t c = lane(); c < cols; c += warpSize) partial += (xr[c] - mu) * (xr[c] - mu);
    const float inv = 1.0f / sqrtf(warp_sum(partial) / static_cast<float>(cols) + eps);
    if (lane() == 0) {
      mean[row] = mu;
      rstd[row] = inv;
    }
    float* yr = y + row * cols;
    for (int64_t c = lane(); c < cols; c += warpSize) {
      const float v = (xr[c] - mu) * inv;
      yr[c] = gamma ? v * gamma[c] + beta[c] : v;
    }
  }
}

// gx = rstd * (h - mean(h) - xhat * mean(h * xhat)) with h = gy * gamma. When `gy_xhat` is not
// null it receives gy * xhat, whose column sums are the gradient of gamma.
__global__ void layer_norm_backward_kernel(const float* x, const float* gamma, const float* mean, const float* rstd,
                                           const float* gy, float* gx, float* gy_xhat, int64_t rows, int64_t cols) {
  for (int64_t row = global_warp(); row < rows; row += grid_warps()) {
    const float* xr = x + row * cols;
    const float* gr = gy + row * cols;
    const float m = mean[row], inv = rstd[row];
    float sum_h = 0.0f, sum_h_xhat = 0.0f;
    for (int64_t c = lane(); c < cols; c += warpSize) {
      const float h = gamma ? gr[c] * gamma[c] : gr[c];
      sum_h += h;
      sum_h_xhat += h * (xr[c] - m) * inv;
    }
    const float mean_h = warp_sum(sum_h) / static_cast<float>(cols);
    const float mean_h_xhat = warp_sum(sum_h_xhat) / static_cast<float>(cols);
    for (int64_t c = lane(); c < cols; c += warpSize) {
      const float h = gamma ? gr[c] * gamma[c] : gr[c];
      const float xhat = (xr[c] - m) * inv;
      gx[row * cols + c] = inv * (h - mean_h - xhat * mean_h_xhat);
      if (gy_xhat) gy_xhat[row * cols + c] = gr[c] * xhat;
    }
  }
}

// x is (n, channels, inner); element i belongs to channel i / inner % channels.
__device__ __forceinline__ int64_t channel_of(int64_t i, int64_t channels, int64_t inner) {
  return i / inner % channels;
}

// out = (x - mean[c])^2 (for the variance), or gy * (x - mean[c]) * rstd[c] when gy is given.
__global__ void centered_product_kernel(const float* x, const float* mean, const float* rstd, const float* gy,
                                        float* out, int64_t count, int64_t channels, int64_t inner) {
  for (int64_t i = global_thread(); i < count; i += grid_threads()) {
    const int64_t c = channel_of(i, channels, inner);
    const float d = x[i] - mean[c];
    out[i] = gy ? gy[i] * d * rstd[c] : d * d;
  }
}

__global__ void batch_norm_apply_kernel(const float* x, const float* mean, const float* rstd, const float* gamma,
                                        const float* beta, float* y, int64_t count, int64_t channels,
                                        int64_t inner) {
  for (int64_t i = global_thread(); i < count; i += grid_threads()) {
    const int64_t c = channel_of(i, channels, inner);
    const float scale = gamma ? rstd[c] * gamma[c] : rstd[c];
    const float shift = (gamma ? beta[c] : 0.0f) - mean[c] * scale;
    y[i] = x[i] * scale + shift;
  }
}

// gx = gamma * rstd * gy, and with batch statistics gx = gamma * rstd * (gy - sum_gy / count -
// xhat * sum_gy_xhat / count), the sums per channel over `per_channel` values.
__global__ void batch_norm_backward_kernel(const float* x, const float* mean, const float* rstd, const float* gamma,
                                           const float* gy, const float* sum_gy_xhat, const float* sum_gy, float* gx,
                                           int64_t count, int64_t channels, int64_t inner, bool batch_stats) {
  const float per_channel = static_cast<float>(count / channels);
  for (int64_t i = global_thread(); i < count; i += grid_threads()) {
    const int64_t c = channel_of(i, channels, inner);
    const float scale = gamma ? rstd[c] * gamma[c] : rstd[c];
    if (!batch_stats) {
      gx[i] = scale * gy[i];
      continue;
    }
    const float xhat = (x[i] - mean[c]) * rstd[c];
    gx[i] = scale * (gy[i] - sum_gy[c] / per_channel - xhat * sum_gy_xhat[c] / per_channel);
  }
}

}  // namespace kasf::KASF_CUDA_NS
