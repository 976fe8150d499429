// GEMM throughput of the CPU backend on the model's shapes: the batched tiny products of attention
// (against calling cblas_sgemm once per product, serially and from an OpenMP loop) and the large
// linear-layer products. Usage: bench_gemm [batch_size B, default 32]; prints GFLOP/s.
#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "framework/backend.h"
#include "framework/random.h"

namespace {

using Clock = std::chrono::steady_clock;

// Best time per call over repeated runs of at least ~0.3 s in total, in seconds.
double best_seconds(const std::function<void()>& fn) {
  fn();  // warm-up: page in buffers, start the thread pool
  double best = 1e30, total = 0.0;
  for (int rep = 0; rep < 50 && (rep < 3 || total < 0.3); ++rep) {
    auto start = Clock::now();
    fn();
    double s = std::chrono::duration<double>(Clock::now() - start).count();
    best = std::min(best, s);
    total += s;
  }
  return best;
}

std::vector<float> random_buffer(size_t count) {
  kasf::Generator gen(1);
  std::vector<float> v(count);
  for (float& x : v) x = gen.uniform(-1.0f, 1.0f);
  return v;
}

void report(const char* name, double flops, double seconds) {
  std::printf("%-58s %9.3f ms %8.1f GFLOP/s\n", name, seconds * 1e3, flops / seconds * 1e-9);
}

void cblas_one(bool ta, bool tb, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c,
               int ldc) {
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, 1.0f, a, lda, b,
              ldb, 0.0f, c, ldc);
}

// `batch` products of (m x k) by op(B) (k x n), all operands contiguous per product.
void bench_batched(const char* label, int64_t batch, int m, int n, int k, bool trans_b) {
  std::vector<float> a = random_buffer(batch * m * k), b = random_buffer(batch * k * n), c(batch * m * n);
  const int ldb = trans_b ? k : n;
  const double flops = 2.0 * batch * m * n * k;
  char name[128];
  kasf::Backend& cpu = kasf::backend_for(kasf::Device::CPU);
  std::snprintf(name, sizeof name, "%s backend gemm", label);
  report(name, flops, best_seconds([&] {
           cpu.gemm({.trans_b = trans_b, .m = m, .n = n, .k = k, .a = a.data(), .lda = k, .stride_a = int64_t{m} * k,
                     .b = b.data(), .ldb = ldb, .stride_b = int64_t{k} * n, .c = c.data(), .ldc = n,
                     .stride_c = int64_t{m} * n, .batch = batch});
         }));
  std::snprintf(name, sizeof name, "%s cblas per product, OpenMP loop", label);
  report(name, flops, best_seconds([&] {
#pragma omp parallel for schedule(static)
           for (int64_t i = 0; i < batch; ++i)
             cblas_one(false, trans_b, m, n, k, a.data() + i * m * k, k, b.data() + i * k * n, ldb,
                       c.data() + i * m * n, n);
         }));
  std::snprintf(name, sizeof name, "%s cblas per product, serial loop", label);
  report(name, flops, best_seconds([&] {
           for (int64_t i = 0; i < batch; ++i)
             cblas_one(false, trans_b, m, n, k, a.data() + i * m * k, k, b.data() + i * k * n, ldb,
                       c.data() + i * m * n, n);
         }));
}

// One large product C (m x n) = op(A) op(B) through the backend.
void bench_large(const char* label, bool ta, bool tb, int64_t m, int64_t n, int64_t k) {
  std::vector<float> a = random_buffer(m * k), b = random_buffer(k * n), c(m * n);
  kasf::Backend& cpu = kasf::backend_for(kasf::Device::CPU);
  report(label, 2.0 * m * n * k, best_seconds([&] {
           cpu.gemm({.trans_a = ta, .trans_b = tb, .m = m, .n = n, .k = k, .a = a.data(), .lda = ta ? m : k, .b = b.data(),
                     .ldb = tb ? k : n, .c = c.data(), .ldc = n});
         }));
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t batch_size = argc > 1 ? std::atoll(argv[1]) : 32;
  const int64_t frames = 27, joints = 17, heads = 8, head_dim = 16, width = 128, hidden = 512;
  const int64_t rows = batch_size * frames * joints;
  std::printf("B = %lld: %lld token rows, %lld spatial and %lld temporal attention products per layer\n",
              static_cast<long long>(batch_size), static_cast<long long>(rows),
              static_cast<long long>(batch_size * frames * heads), static_cast<long long>(batch_size * joints * heads));
  bench_batched("spatial Q K^T  17x16 @ (17x16)^T", batch_size * frames * heads, joints, joints, head_dim, true);
  bench_batched("spatial P V    17x17 @ 17x16", batch_size * frames * heads, joints, head_dim, joints, false);
  bench_batched("temporal Q K^T 27x16 @ (27x16)^T", batch_size * joints * heads, frames, frames, head_dim, true);
  bench_batched("temporal P V   27x27 @ 27x16", batch_size * joints * heads, frames, head_dim, frames, false);
  bench_large("fc1 forward   x W^T   (rows x 128) -> 512", false, true, rows, hidden, width);
  bench_large("fc2 forward   x W^T   (rows x 512) -> 128", false, true, rows, width, hidden);
  bench_large("fc1 backward  g W     (rows x 512) @ 512x128", false, false, rows, width, hidden);
  bench_large("fc1 weight    g^T x   512 x rows @ rows x 128", true, false, hidden, width, rows);
  bench_large("qkv forward   x W^T   (rows x 128) -> 384", false, true, rows, 3 * width, width);
  return 0;
}
