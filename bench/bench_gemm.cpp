// GEMM throughput of the CPU backend on the model's shapes: the batched tiny products of attention
// (against calling cblas_sgemm once per product, serially and from an OpenMP loop) and the large
// linear-layer products. Usage: bench_gemm [B = 32] [width = 128] [heads = 8] [cold]; prints GFLOP/s.
// `cold` writes a 64 MB buffer before each timed call, so the operands come from memory as they do
// in a training step, whose activations outgrow the caches.
#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "framework/backend.h"
#include "framework/random.h"

namespace {

using Clock = std::chrono::steady_clock;

bool g_cold = false;

// Evicts the operands from the caches (a write of more than the L3 holds).
void evict_caches() {
  static std::vector<float> junk(size_t{64} << 20 >> 2);
  for (float& x : junk) x += 1.0f;
}

// Best time per call over repeated runs of at least ~0.3 s in total, in seconds.
double best_seconds(const std::function<void()>& fn) {
  fn();  // warm-up: page in buffers, start the thread pool
  double best = 1e30, total = 0.0;
  for (int rep = 0; rep < 50 && (rep < 3 || total < 0.3); ++rep) {
    if (g_cold) evict_caches();
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
  const int64_t width = argc > 2 ? std::atoll(argv[2]) : 128;
  const int64_t heads = argc > 3 ? std::atoll(argv[3]) : 8;
  g_cold = argc > 4 && std::string(argv[4]) == "cold";
  if (batch_size < 1 || width < 1 || heads < 1 || width % heads != 0) {
    std::fprintf(stderr, "usage: bench_gemm [B >= 1] [width >= 1] [heads dividing width] [cold]\n");
    return 2;
  }
  const int64_t frames = 27, joints = 17, head_dim = width / heads, hidden = 4 * width;
  const int64_t rows = batch_size * frames * joints;
  std::printf("B = %lld, width %lld, %lld heads%s: %lld token rows, %lld spatial and %lld temporal attention "
              "products per layer\n",
              static_cast<long long>(batch_size), static_cast<long long>(width), static_cast<long long>(heads),
              g_cold ? ", operands evicted from the caches before each call" : "", static_cast<long long>(rows),
              static_cast<long long>(batch_size * frames * heads), static_cast<long long>(batch_size * joints * heads));
  char label[96];
  const auto named = [&](const char* format, auto... values) {
    std::snprintf(label, sizeof label, format, values...);
    return label;
  };
  const int j = static_cast<int>(joints), t = static_cast<int>(frames), c = static_cast<int>(head_dim);
  bench_batched(named("spatial Q K^T  %dx%d @ (%dx%d)^T", j, c, j, c), batch_size * frames * heads, j, j, c, true);
  bench_batched(named("spatial P V    %dx%d @ %dx%d", j, j, j, c), batch_size * frames * heads, j, c, j, false);
  bench_batched(named("temporal Q K^T %dx%d @ (%dx%d)^T", t, c, t, c), batch_size * joints * heads, t, t, c, true);
  bench_batched(named("temporal P V   %dx%d @ %dx%d", t, t, t, c), batch_size * joints * heads, t, c, t, false);
  const int w = static_cast<int>(width), h = static_cast<int>(hidden);
  bench_large(named("fc1 forward   x W^T   (rows x %d) -> %d", w, h), false, true, rows, hidden, width);
  bench_large(named("fc2 forward   x W^T   (rows x %d) -> %d", h, w), false, true, rows, width, hidden);
  bench_large(named("fc1 backward  g W     (rows x %d) @ %dx%d", h, h, w), false, false, rows, width, hidden);
  bench_large(named("fc1 weight    g^T x   %d x rows @ rows x %d", h, w), true, false, hidden, width, rows);
  bench_large(named("qkv forward   x W^T   (rows x %d) -> %d", w, 3 * w), false, true, rows, 3 * width, width);
  return 0;
}
