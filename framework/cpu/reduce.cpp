// Reduction kernels: sums along an axis and the row softmax with its backward.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "framework/cpu/cpu_backend.h"
#include "framework/fast_math.h"

namespace kasf {

namespace {

// Sum of a contiguous run in double, with independent lanes the compiler can vectorise without
// reassociating (which -O2 does not allow for floats).
double sum_run(const float* x, int64_t count) {
  constexpr int kLanes = 8;
  double lanes[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= count; i += kLanes)
    for (int l = 0; l < kLanes; ++l) lanes[l] += x[i + l];
  double total = 0.0;
  for (; i < count; ++i) total += x[i];
  for (int l = 0; l < kLanes; ++l) total += lanes[l];
  return total;
}

// Columns of the inner axis handled by one task: enough to fill a few cache lines per row read.
constexpr int64_t kInnerChunk = 64;
// Rows of the reduced axis summed by one task before the blocks' sums are added up.
constexpr int64_t kRowBlock = 512;

// Eight doubles as one value (GCC's vector extension), so that a chunk's sums stay in registers from
// row to row; in memory, each row's adds waited for the stores of the row before.
typedef double Doubles8 __attribute__((vector_size(8 * sizeof(double))));
typedef float Floats8 __attribute__((vector_size(8 * sizeof(float))));

// Columns [0, 8 V) of add_rows.
template <int V>
[[gnu::always_inline]] inline void add_rows_in_registers(const float* chunk, int64_t inner, int64_t begin, int64_t end,
                                                         double* acc) {
  Doubles8 sums[V];
  std::memcpy(sums, acc, sizeof sums);
  for (int64_t r = begin; r < end; ++r)
    for (int v = 0; v < V; ++v) {
      Floats8 row;
      std::memcpy(&row, chunk + r * inner + 8 * v, sizeof row);
      sums[v] += __builtin_convertvector(row, Doubles8);
    }
  std::memcpy(acc, sums, sizeof sums);
}

// acc[i] += x[r, i] for rows [begin, end) of a chunk of `width` columns (at most kInnerChunk), its
// rows `inner` apart. Compiled also for AVX-512 and AVX2 (picked at load time): on baseline x86-64
// widening to double takes SSE2 conversions of two values each, and a bias gradient sums every
// token's row. Each column is summed in row order whatever the vector width.
[[gnu::target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")]] void add_rows(
    const float* chunk, int64_t inner, int64_t width, int64_t begin, int64_t end, double* acc) {
  static_assert(kInnerChunk <= 8 * 8, "the switch below covers at most 8 vectors of sums");
  const int64_t vectors = width / 8;
  switch (vectors) {
    case 1: add_rows_in_registers<1>(chunk, inner, begin, end, acc); break;
    case 2: add_rows_in_registers<2>(chunk, inner, begin, end, acc); break;
    case 3: add_rows_in_registers<3>(chunk, inner, begin, end, acc); break;
    case 4: add_rows_in_registers<4>(chunk, inner, begin, end, acc); break;
    case 5: add_rows_in_registers<5>(chunk, inner, begin, end, acc); break;
    case 6: add_rows_in_registers<6>(chunk, inner, begin, end, acc); break;
    case 7: add_rows_in_registers<7>(chunk, inner, begin, end, acc); break;
    case 8: add_rows_in_registers<8>(chunk, inner, begin, end, acc); break;
    default: break;
  }
  for (int64_t r = begin; r < end; ++r)
    for (int64_t i = 8 * vectors; i < width; ++i) acc[i] += chunk[r * inner + i];
}

// The softmax row kernels, compiled also for AVX-512 and AVX2 + FMA and picked at load time (the
// build targets baseline x86-64): attention's rows are 17 or 27 scores, and the polynomial exp of
// fast_math.h runs once per score.
[[gnu::target_clones("avx512f", "arch=x86-64-v3", "default")]] void softmax_rows(const float* x, float* y,
                                                                                  int64_t begin, int64_t end,
                                                                                  int64_t cols) {
  for (int64_t r = begin; r < end; ++r) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    float max = -INFINITY;
#pragma omp simd reduction(max : max)
    for (int64_t c = 0; c < cols; ++c) max = std::max(max, xr[c]);
    float total = 0.0f;
#pragma omp simd reduction(+ : total)
    for (int64_t c = 0; c < cols; ++c) {
      yr[c] = exp_nonpositive(xr[c] - max);
      total += yr[c];
    }
    const float scale = 1.0f / total;
#pragma omp simd
    for (int64_t c = 0; c < cols; ++c) yr[c] *= scale;
  }
}

// gx = y * (gy - <gy, y>) per row (the Jacobian of softmax applied to gy).
[[gnu::target_clones("avx512f", "arch=x86-64-v3", "default")]] void softmax_backward_rows(
    const float* y, const float* gy, float* gx, int64_t begin, int64_t end, int64_t cols) {
  for (int64_t r = begin; r < end; ++r) {
    const float* yr = y + r * cols;
    const float* gr = gy + r * cols;
    float dot = 0.0f;
#pragma omp simd reduction(+ : dot)
    for (int64_t c = 0; c < cols; ++c) dot += yr[c] * gr[c];
    float* out = gx + r * cols;
#pragma omp simd
    for (int64_t c = 0; c < cols; ++c) out[c] = yr[c] * (gr[c] - dot);
  }
}

}  // namespace

void CpuBackend::sum_axis(const float* x, float* y, int64_t outer, int64_t reduce, int64_t inner) {
  if (inner == 1) {
    cpu::parallel_for_each(outer, reduce, [&](int64_t o) { y[o] = static_cast<float>(sum_run(x + o * reduce, reduce)); });
    return;
  }
  // Each task sums a chunk of inner columns over all `reduce` rows, accumulating in double.
  const int64_t chunks = (inner + kInnerChunk - 1) / kInnerChunk;
  const int64_t blocks = (reduce + kRowBlock - 1) / kRowBlock;
  if (blocks == 1) {
    cpu::parallel_for_each(outer * chunks, reduce * kInnerChunk, [&](int64_t task) {
      const int64_t o = task / chunks, begin = (task % chunks) * kInnerChunk;
      const int64_t width = std::min(kInnerChunk, inner - begin);
      double acc[kInnerChunk] = {};
      add_rows(x + o * reduce * inner + begin, inner, width, 0, reduce, acc);
      for (int64_t i = 0; i < width; ++i) y[o * inner + begin + i] = static_cast<float>(acc[i]);
    });
    return;
  }
  // Longer axes in blocks of rows, whose partial sums are then added in block order (so the result
  // does not depend on the threads): they give the pool work where there are few chunks (a bias
  // gradient sums every token's row into one).
  std::vector<double> partial(static_cast<size_t>(outer * chunks * blocks * kInnerChunk));
  cpu::parallel_for_each(outer * chunks * blocks, kRowBlock * kInnerChunk, [&](int64_t task) {
    const int64_t block = task % blocks, column_task = task / blocks;
    const int64_t o = column_task / chunks, begin = (column_task % chunks) * kInnerChunk;
    const int64_t width = std::min(kInnerChunk, inner - begin);
    add_rows(x + o * reduce * inner + begin, inner, width, block * kRowBlock, std::min(reduce, (block + 1) * kRowBlock),
             partial.data() + task * kInnerChunk);
  });
  cpu::parallel_for_each(outer * chunks, blocks * kInnerChunk, [&](int64_t column_task) {
    const int64_t o = column_task / chunks, begin = (column_task % chunks) * kInnerChunk;
    const int64_t width = std::min(kInnerChunk, inner - begin);
    for (int64_t i = 0; i < width; ++i) {
      double total = 0.0;
      for (int64_t block = 0; block < blocks; ++block) total += partial[(column_task * blocks + block) * kInnerChunk + i];
      y[o * inner + begin + i] = static_cast<float>(total);
    }
  });
}

void cpu::softmax_serial(const float* x, float* y, int64_t rows, int64_t cols) { softmax_rows(x, y, 0, rows, cols); }

void cpu::softmax_backward_serial(const float* y, const float* gy, float* gx, int64_t rows, int64_t cols) {
  softmax_backward_rows(y, gy, gx, 0, rows, cols);
}

void CpuBackend::softmax(const float* x, float* y, int64_t rows, int64_t cols) {
  cpu::parallel_for(rows, cpu::kParallelGrain / std::max<int64_t>(cols, 1), [&](int64_t begin, int64_t end) {
    softmax_rows(x, y, begin, end, cols);
  });
}

void CpuBackend::softmax_backward(const float* y, const float* gy, float* gx, int64_t rows, int64_t cols) {
  cpu::parallel_for(rows, cpu::kParallelGrain / std::max<int64_t>(cols, 1), [&](int64_t begin, int64_t end) {
    softmax_backward_rows(y, gy, gx, begin, end, cols);
  });
}

}  // namespace kasf
