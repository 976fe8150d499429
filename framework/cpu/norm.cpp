// Normalisation kernels: LayerNorm over rows, BatchNorm per channel, and their backwards.
// Statistics and parameter-gradient sums accumulate in double: they run over up to ~10^6 values.
// `omp simd` marks the loops to vectorise: -O2's cost model skips loops of unknown trip count.
#include <algorithm>
#include <cmath>
#include <vector>

#include "framework/cpu/cpu_backend.h"

namespace kasf {

namespace {

// Rows per block of a cross-row sum. Blocks are summed in a fixed order afterwards, so results do
// not depend on the number of threads.
constexpr int64_t kRowBlock = 64;

// partial[b * width + j] = sum over the rows of block b of row_terms(r, j); returns the column sums.
// `add_row(r, acc)` adds row r's terms into acc[0, width) and costs about `work_per_row` elements.
template <typename AddRow>
std::vector<double> blocked_column_sums(int64_t rows, int64_t width, int64_t work_per_row, AddRow add_row) {
  const int64_t blocks = (rows + kRowBlock - 1) / kRowBlock;
  std::vector<double> partial(static_cast<size_t>(blocks * width), 0.0);
  cpu::parallel_for_each(blocks, kRowBlock * work_per_row, [&](int64_t b) {
    double* acc = partial.data() + b * width;
    for (int64_t r = b * kRowBlock; r < std::min(rows, (b + 1) * kRowBlock); ++r) add_row(r, acc);
  });
  std::vector<double> total(static_cast<size_t>(width), 0.0);
  for (int64_t b = 0; b < blocks; ++b)
    for (int64_t j = 0; j < width; ++j) total[j] += partial[b * width + j];
  return total;
}

// The row kernels of LayerNorm, compiled also for AVX-512 and AVX2 + FMA and picked at load time
// (the build targets baseline x86-64): rows are a model's width (32 to 512 values), so the wider the
// vectors, the fewer iterations each row's three loops take.
[[gnu::target_clones("avx512f", "arch=x86-64-v3", "default")]] void layer_norm_rows(
    const float* x, const float* gamma, const float* beta, float* y, float* mean, float* rstd, int64_t begin,
    int64_t end, int64_t cols, float eps) {
  for (int64_t r = begin; r < end; ++r) {
    const float* xr = x + r * cols;
    double s = 0.0;
#pragma omp simd reduction(+ : s)
    for (int64_t c = 0; c < cols; ++c) s += xr[c];
    const double mu = s / static_cast<double>(cols);
    double ss = 0.0;  // two passes: no cancellation for rows with a large mean
#pragma omp simd reduction(+ : ss)
    for (int64_t c = 0; c < cols; ++c) ss += (xr[c] - mu) * (xr[c] - mu);
    const float inv = static_cast<float>(1.0 / std::sqrt(ss / static_cast<double>(cols) + eps));
    const float m = static_cast<float>(mu);
    mean[r] = m;
    rstd[r] = inv;
    float* yr = y + r * cols;
#pragma omp simd
    for (int64_t c = 0; c < cols; ++c) {
      float v = (xr[c] - m) * inv;
      yr[c] = gamma ? v * gamma[c] + beta[c] : v;
    }
  }
}

// With xhat = (x - mean) * rstd and h = gy * gamma: gx = rstd * (h - mean(h) - xhat * mean(h * xhat)).
[[gnu::target_clones("avx512f", "arch=x86-64-v3", "default")]] void layer_norm_backward_rows(
    const float* x, const float* gamma, const float* mean, const float* rstd, const float* gy, float* gx,
    int64_t begin, int64_t end, int64_t cols) {
  for (int64_t r = begin; r < end; ++r) {
    const float* xr = x + r * cols;
    const float* gr = gy + r * cols;
    const float m = mean[r], inv = rstd[r];
    float sum_h = 0.0f, sum_h_xhat = 0.0f;
#pragma omp simd reduction(+ : sum_h, sum_h_xhat)
    for (int64_t c = 0; c < cols; ++c) {
      const float h = gamma ? gr[c] * gamma[c] : gr[c];
      sum_h += h;
      sum_h_xhat += h * (xr[c] - m) * inv;
    }
    const float mean_h = sum_h / static_cast<float>(cols), mean_h_xhat = sum_h_xhat / static_cast<float>(cols);
    float* out = gx + r * cols;
#pragma omp simd
    for (int64_t c = 0; c < cols; ++c) {
      const float h = gamma ? gr[c] * gamma[c] : gr[c];
      out[c] = inv * (h - mean_h - (xr[c] - m) * inv * mean_h_xhat);
    }
  }
}

}  // namespace

void CpuBackend::layer_norm(const float* x, const float* gamma, const float* beta, float* y, float* mean, float* rstd,
                            int64_t rows, int64_t cols, float eps) {
  cpu::parallel_for(rows, cpu::kParallelGrain / std::max<int64_t>(cols, 1), [&](int64_t begin, int64_t end) {
    layer_norm_rows(x, gamma, beta, y, mean, rstd, begin, end, cols, eps);
  });
}

void CpuBackend::layer_norm_backward(const float* x, const float* gamma, const float* mean, const float* rstd,
                                     const float* gy, float* gx, float* ggamma, float* gbeta, int64_t rows,
                                     int64_t cols) {
  cpu::parallel_for(rows, cpu::kParallelGrain / std::max<int64_t>(cols, 1), [&](int64_t begin, int64_t end) {
    layer_norm_backward_rows(x, gamma, mean, rstd, gy, gx, begin, end, cols);
  });
  if (!ggamma && !gbeta) return;
  // Columns [0, cols) of the sums hold gy * xhat, columns [cols, 2 cols) hold gy.
  std::vector<double> sums = blocked_column_sums(rows, 2 * cols, cols, [&](int64_t r, double* acc) {
    const float* xr = x + r * cols;
    const float* gr = gy + r * cols;
    for (int64_t c = 0; c < cols; ++c) {
      acc[c] += gr[c] * (xr[c] - mean[r]) * rstd[r];
      acc[cols + c] += gr[c];
    }
  });
  for (int64_t c = 0; c < cols; ++c) {
    if (ggamma) ggamma[c] = static_cast<float>(sums[c]);
    if (gbeta) gbeta[c] = static_cast<float>(sums[cols + c]);
  }
}

void CpuBackend::batch_norm_stats(const float* x, float* mean, float* var, int64_t n, int64_t channels, int64_t inner) {
  const double count = static_cast<double>(n * inner);
  std::vector<double> sums = blocked_column_sums(n, channels, channels * inner, [&](int64_t i, double* acc) {
    for (int64_t c = 0; c < channels; ++c) {
      const float* seg = x + (i * channels + c) * inner;
      double s = 0.0;
      for (int64_t j = 0; j < inner; ++j) s += seg[j];
      acc[c] += s;
    }
  });
  for (double& s : sums) s /= count;
  // Second pass around the mean: exact for data far from zero, where E[x^2] - E[x]^2 cancels.
  std::vector<double> squares = blocked_column_sums(n, channels, channels * inner, [&](int64_t i, double* acc) {
    for (int64_t c = 0; c < channels; ++c) {
      const float* seg = x + (i * channels + c) * inner;
      const double mu = sums[c];
      double s = 0.0;
      for (int64_t j = 0; j < inner; ++j) s += (seg[j] - mu) * (seg[j] - mu);
      acc[c] += s;
    }
  });
  for (int64_t c = 0; c < channels; ++c) {
    mean[c] = static_cast<float>(sums[c]);
    var[c] = static_cast<float>(squares[c] / count);
  }
}

void CpuBackend::batch_norm_apply(const float* x, const float* mean, const float* rstd, const float* gamma,
                                  const float* beta, float* y, int64_t n, int64_t channels, int64_t inner) {
  cpu::parallel_for_each(n * channels, inner, [&](int64_t row) {
    const int64_t c = row % channels;
    const float scale = gamma ? rstd[c] * gamma[c] : rstd[c];
    const float shift = (gamma ? beta[c] : 0.0f) - mean[c] * scale;
    const float* xs = x + row * inner;
    float* ys = y + row * inner;
#pragma omp simd
    for (int64_t j = 0; j < inner; ++j) ys[j] = xs[j] * scale + shift;
  });
}

// With xhat = (x - mean) * rstd, per channel over its n * inner values:
// ggamma = sum gy * xhat, gbeta = sum gy; gx = gamma * rstd * gy in eval mode, and with batch
// statistics gx = gamma * rstd * (gy - gbeta / count - xhat * ggamma / count).
void CpuBackend::batch_norm_backward(const float* x, const float* mean, const float* rstd, const float* gamma,
                                     const float* gy, float* gx, float* ggamma, float* gbeta, int64_t n,
                                     int64_t channels, int64_t inner, bool batch_stats) {
  // Columns [0, C) of the sums hold gy * xhat, columns [C, 2C) hold gy.
  std::vector<double> sums = blocked_column_sums(n, 2 * channels, channels * inner, [&](int64_t i, double* acc) {
    for (int64_t c = 0; c < channels; ++c) {
      const float* xs = x + (i * channels + c) * inner;
      const float* gs = gy + (i * channels + c) * inner;
      double s_gx = 0.0, s_g = 0.0;
#pragma omp simd reduction(+ : s_gx, s_g)
      for (int64_t j = 0; j < inner; ++j) {
        s_gx += gs[j] * (xs[j] - mean[c]);
        s_g += gs[j];
      }
      acc[c] += s_gx * rstd[c];
      acc[channels + c] += s_g;
    }
  });
  if (ggamma)
    for (int64_t c = 0; c < channels; ++c) ggamma[c] = static_cast<float>(sums[c]);
  if (gbeta)
    for (int64_t c = 0; c < channels; ++c) gbeta[c] = static_cast<float>(sums[channels + c]);
  if (!gx) return;
  const double count = static_cast<double>(n * inner);
  cpu::parallel_for_each(n * channels, inner, [&](int64_t row) {
    const int64_t c = row % channels;
    const float scale = gamma ? rstd[c] * gamma[c] : rstd[c];
    const float* xs = x + row * inner;
    const float* gs = gy + row * inner;
    float* out = gx + row * inner;
    if (!batch_stats) {
      for (int64_t j = 0; j < inner; ++j) out[j] = scale * gs[j];
      return;
    }
    const float mean_g = static_cast<float>(sums[channels + c] / count);
    const float mean_g_xhat = static_cast<float>(sums[c] / count);
#pragma omp simd
    for (int64_t j = 0; j < inner; ++j) out[j] = scale * (gs[j] - mean_g - (xs[j] - mean[c]) * rstd[c] * mean_g_xhat);
  });
}

}  // namespace kasf
