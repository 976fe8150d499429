#include "framework/cpu/cpu_backend.h"

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "framework/cpu/strided_loop.h"

namespace kasf {

// 64-byte alignment for vector loads (size classes are multiples of 512 bytes, as aligned_alloc
// requires a multiple of the alignment).
CpuBackend::CpuBackend() : cache_([](size_t bytes) { return std::aligned_alloc(64, bytes); }, std::free) {}

float* CpuBackend::allocate(size_t count) { return static_cast<float*>(cache_.allocate(count * sizeof(float))); }

void CpuBackend::deallocate(float* ptr, size_t count) { cache_.release(ptr, count * sizeof(float)); }

void CpuBackend::upload(float* dst, const float* src, size_t count) { std::memcpy(dst, src, count * sizeof(float)); }
void CpuBackend::download(float* dst, const float* src, size_t count) { std::memcpy(dst, src, count * sizeof(float)); }

void CpuBackend::fill(float* dst, int64_t count, float value) {
  cpu::parallel_for(count, cpu::kParallelGrain, [&](int64_t begin, int64_t end) { std::fill(dst + begin, dst + end, value); });
}

void CpuBackend::copy(const float* src, const Layout& src_layout, float* dst, const Layout& dst_layout) {
  cpu::StridedLoop<2> loop({&dst_layout, &src_layout});
  loop.for_each_row([&](const std::array<int64_t, 2>& off, int64_t n, const std::array<int64_t, 2>& s) {
    float* d = dst + off[0];
    const float* x = src + off[1];
    if (s[0] == 1 && s[1] == 1) {
      std::memcpy(d, x, n * sizeof(float));
    } else {
      for (int64_t i = 0; i < n; ++i) d[i * s[0]] = x[i * s[1]];
    }
  });
}

Backend& cpu_backend() {
  static CpuBackend backend;
  return backend;
}

}  // namespace kasf
