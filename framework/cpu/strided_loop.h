// Iteration over several strided views of one shape, row by row, for the CPU kernels.
//
// Dimensions that are contiguous with each other in every view are merged first, so the common
// cases (all contiguous, a bias broadcast along rows) become one long inner loop the compiler
// vectorises; the outer rows are spread over the thread pool when the work is large enough.
#pragma once
#include <array>
#include <cstdint>

#include "framework/backend.h"
#include "framework/cpu/cpu_backend.h"

namespace kasf::cpu {

template <size_t N>
struct StridedLoop {
  int rank = 0;
  int64_t shape[Layout::kMaxRank] = {};
  int64_t strides[N][Layout::kMaxRank] = {};

  // All layouts share layouts[0]'s shape (the caller checked). Size-1 dimensions are dropped.
  explicit StridedLoop(const std::array<const Layout*, N>& layouts) {
    const Layout& first = *layouts[0];
    for (int d = 0; d < first.rank; ++d) {
      if (first.shape[d] == 1) continue;
      bool merge = rank > 0;
      for (size_t k = 0; k < N && merge; ++k)
        merge = strides[k][rank - 1] == layouts[k]->strides[d] * first.shape[d];
      if (merge) {
        shape[rank - 1] *= first.shape[d];
        for (size_t k = 0; k < N; ++k) strides[k][rank - 1] = layouts[k]->strides[d];
      } else {
        shape[rank] = first.shape[d];
        for (size_t k = 0; k < N; ++k) strides[k][rank] = layouts[k]->strides[d];
        ++rank;
      }
    }
    if (rank == 0) {  // a single element
      rank = 1;
      shape[0] = 1;
      for (size_t k = 0; k < N; ++k) strides[k][0] = 1;
    }
  }

  // row(offsets, count, inner_strides): one innermost run of `count` elements per view.
  template <typename RowFn>
  void for_each_row(RowFn row) const {
    const int last = rank - 1;
    const int64_t count = shape[last];
    if (count == 0) return;  // an empty innermost dimension: no element, and no row length to divide by
    int64_t rows = 1;
    for (int d = 0; d < last; ++d) rows *= shape[d];
    std::array<int64_t, N> inner;
    for (size_t k = 0; k < N; ++k) inner[k] = strides[k][last];
    // Each chunk of rows finds its first row's position with divisions once, then steps through the
    // outer dimensions like an odometer: the runs can be as short as a head's 8 features.
    parallel_for(rows, kParallelGrain / count + 1, [&](int64_t begin, int64_t end) {
      int64_t index[Layout::kMaxRank] = {};
      std::array<int64_t, N> offsets{};
      int64_t rest = begin;
      for (int d = last - 1; d >= 0; --d) {
        index[d] = rest % shape[d];
        rest /= shape[d];
        for (size_t k = 0; k < N; ++k) offsets[k] += index[d] * strides[k][d];
      }
      for (int64_t r = begin; r < end; ++r) {
        row(offsets, count, inner);
        for (int d = last - 1; d >= 0; --d) {
          for (size_t k = 0; k < N; ++k) offsets[k] += strides[k][d];
          if (++index[d] < shape[d]) break;
          for (size_t k = 0; k < N; ++k) offsets[k] -= shape[d] * strides[k][d];
          index[d] = 0;
        }
      }
    });
  }
};

}  // namespace kasf::cpu
