// Every kernel of the CUDA backend, run on the launch emulator, against the CPU backend. Sizes
// are odd on purpose: rows of 17 and 27 that fill no warp, grids of several blocks with a ragged
// last block, axes long enough for multi-pass sums, repeated indices and ties.
#define BOOST_TEST_MODULE cuda_emulated_kernels
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>

#include "tests/cuda/backend_comparison.h"

namespace kasf::test {
namespace {

HostValues values(size_t count, uint64_t seed, float low = -2.0f, float high = 2.0f) {
  return uniform_values(count, low, high, seed);
}

// Values on a coarse grid, so rows have ties (top-K) and comparisons hit equality.
HostValues quantised(size_t count, uint64_t seed, float step) {
  HostValues v = values(count, seed, -1.0f, 1.0f);
  for (float& x : v) x = std::round(x / step) * step;
  return v;
}

BOOST_AUTO_TEST_CASE(fill_and_strided_copies) {
  expect_same_on_both("fill", {}, {values(459, 1)}, [](Backend& b, auto&, auto& out) { b.fill(out[0], 459, 0.25f); });
  // A (17, 27, 3) transpose read into a contiguous tensor, and into a slice of a wider one.
  const Layout transposed = Layout::of({3, 27, 17}, {1, 3, 81});
  const Layout dense = Layout::contiguous({3, 27, 17});
  const Layout slice = Layout::of({3, 27, 17}, {27 * 20, 20, 1});
  expect_same_on_both("copy_transposed", {values(1377, 2)}, {values(1377, 3)},
                      [&](Backend& b, auto& in, auto& out) { b.copy(in[0], transposed, out[0], dense); });
  expect_same_on_both("copy_into_slice", {values(1377, 4)}, {values(3 * 27 * 20, 5)},
                      [&](Backend& b, auto& in, auto& out) { b.copy(in[0], transposed, out[0] + 2, slice); });
}

BOOST_AUTO_TEST_CASE(binary_ops_broadcast) {
  // (27, 1, 17) op (5, 17) -> (27, 5, 17): 2295 elements, 18 blocks.
  const Layout a_view = Layout::of({27, 5, 17}, {17, 0, 1});
  const Layout b_view = Layout::of({27, 5, 17}, {0, 17, 1});
  const Layout out = Layout::contiguous({27, 5, 17});
  for (BinaryOp op : {BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul, BinaryOp::Div, BinaryOp::Pow, BinaryOp::Max,
                      BinaryOp::Min, BinaryOp::Eq, BinaryOp::Gt, BinaryOp::Ge}) {
    const bool positive = op == BinaryOp::Pow || op == BinaryOp::Div;
    expect_same_on_both("binary " + std::to_string(static_cast<int>(op)),
                        {positive ? values(459, 6, 0.5f, 2.0f) : quantised(459, 6, 0.25f),
                         positive ? values(85, 7, 0.5f, 2.0f) : quantised(85, 7, 0.25f)},
                        {values(2295, 8)},
                        [&](Backend& b, auto& in, auto& o) { b.binary(op, in[0], a_view, in[1], b_view, o[0], out); });
  }
}

BOOST_AUTO_TEST_CASE(select_broadcast) {
  const Layout cond = Layout::of({17, 27}, {1, 0});
  const Layout a = Layout::contiguous({17, 27});
  const Layout b = Layout::of({17, 27}, {0, 1});
  HostValues mask = values(17, 9);
  for (float& m : mask) m = m > 0 ? 1.0f : 0.0f;
  expect_same_on_both("select", {mask, values(459, 10), values(27, 11)}, {values(459, 12)},
                      [&](Backend& be, auto& in, auto& out) { be.select(in[0], cond, in[1], a, in[2], b, out[0], a); });
}

BOOST_AUTO_TEST_CASE(unary_ops_and_derivatives) {
  for (int i = 0; i <= static_cast<int>(UnaryOp::Reciprocal); ++i) {
    const UnaryOp op = static_cast<UnaryOp>(i);
    const bool positive = op == UnaryOp::Log || op == UnaryOp::Sqrt || op == UnaryOp::Rsqrt ||
                          op == UnaryOp::PowScalar || op == UnaryOp::Reciprocal;
    const HostValues x = positive ? values(459, 13, 0.5f, 2.0f) : values(459, 13);
    const std::string name = "unary " + std::to_string(i);
    expect_same_on_both(name, {x}, {values(459, 14)}, [&](Backend& b, auto& in, auto& out) {
      b.unary(op, 1.5f, in[0], out[0], 459);
    });
    expect_same_on_both(name + " backward", {x, values(459, 15)}, {values(459, 16), values(459, 17)},
                        [&](Backend& b, auto& in, auto& out) {
                          b.unary(op, 1.5f, in[0], out[0], 459);
                          b.unary_backward(op, 1.5f, in[0], out[0], in[1], out[1], 459);
                        });
  }
}

BOOST_AUTO_TEST_CASE(sums_along_an_axis) {
  struct Case {
    int64_t outer, reduce, inner;
  };
  // Rows shorter and longer than a warp (thread or warp per output), columns, multi-pass sums
  // (reduce > 1024), an empty axis.
  for (Case c : {Case{17, 27, 1}, Case{5, 100, 1}, Case{3, 2500, 1}, Case{1, 5, 17}, Case{2, 2100, 5}, Case{4, 1, 27},
                 Case{3, 0, 2}}) {
    const std::string name = "sum_axis " + std::to_string(c.outer) + "x" + std::to_string(c.reduce) + "x" +
                             std::to_string(c.inner);
    expect_same_on_both(name, {values(static_cast<size_t>(c.outer * c.reduce * c.inner), 18)},
                        {values(static_cast<size_t>(c.outer * c.inner), 19)},
                        [&](Backend& b, auto& in, auto& out) { b.sum_axis(in[0], out[0], c.outer, c.reduce, c.inner); },
                        {1e-5f, 2e-5f});
  }
}

BOOST_AUTO_TEST_CASE(vendor_library_calls_reach_the_cpu_backend) {
  // Attention-like batched GEMM with a shared B, and softmax: cuBLAS / cuDNN on a GPU.
  expect_same_on_both("gemm", {values(3 * 17 * 16, 20), values(17 * 16, 21)}, {values(3 * 17 * 17, 22)},
                      [](Backend& b, auto& in, auto& out) {
                        b.gemm({.trans_b = true, .m = 17, .n = 17, .k = 16, .alpha = 0.5f, .a = in[0], .lda = 16,
                                .stride_a = 17 * 16, .b = in[1], .ldb = 16, .beta = 1.0f, .c = out[0], .ldc = 17,
                                .stride_c = 17 * 17, .batch = 3});
                      });
  expect_same_on_both("softmax", {values(5 * 27, 23), values(5 * 27, 24)}, {values(5 * 27, 25), values(5 * 27, 26)},
                      [](Backend& b, auto& in, auto& out) {
                        b.softmax(in[0], out[0], 5, 27);
                        b.softmax_backward(out[0], in[1], out[1], 5, 27);
                      });
}

BOOST_AUTO_TEST_CASE(layer_norm_forward_and_backward) {
  struct Case {
    int64_t rows, cols;
    bool affine;
  };
  for (Case c : {Case{17, 27, true}, Case{27, 128, true}, Case{5, 17, false}, Case{9, 3, true}}) {
    const size_t n = static_cast<size_t>(c.rows * c.cols), rows = static_cast<size_t>(c.rows);
    const size_t cols = static_cast<size_t>(c.cols);
    const std::string name = "layer_norm " + std::to_string(c.rows) + "x" + std::to_string(c.cols);
    // x with a large mean: the two-pass variance matters.
    const HostValues x = values(n, 27, 9.0f, 11.0f);
    expect_same_on_both(name, {x, values(cols, 28), values(cols, 29), values(n, 30)},
                        {values(n, 31), values(rows, 32), values(rows, 33), values(n, 34), values(cols, 35),
                         values(cols, 36)},
                        [&](Backend& b, auto& in, auto& out) {
                          const float* gamma = c.affine ? in[1] : nullptr;
                          b.layer_norm(in[0], gamma, c.affine ? in[2] : nullptr, out[0], out[1], out[2], c.rows,
                                       c.cols, 1e-5f);
                          b.layer_norm_backward(in[0], gamma, out[1], out[2], in[3], out[3], out[4], out[5], c.rows,
                                                c.cols);
                        },
                        {2e-5f, 2e-5f});
  }
  // Only gx wanted.
  expect_same_on_both("layer_norm_backward gx only", {values(459, 37), values(17, 38), values(459, 39)},
                      {values(27, 40), values(27, 41), values(459, 42)}, [](Backend& b, auto& in, auto& out) {
                        b.layer_norm(in[0], nullptr, nullptr, out[2], out[0], out[1], 27, 17, 1e-5f);
                        b.layer_norm_backward(in[0], in[1], out[0], out[1], in[2], out[2], nullptr, nullptr, 27, 17);
                      });
}

BOOST_AUTO_TEST_CASE(batch_norm_statistics_apply_and_backward) {
  struct Case {
    int64_t n, channels, inner;
    bool affine, batch_stats;
  };
  for (Case c : {Case{5, 17, 27, true, true}, Case{27, 4, 1, true, false}, Case{3, 5, 17, false, true}}) {
    const size_t count = static_cast<size_t>(c.n * c.channels * c.inner), ch = static_cast<size_t>(c.channels);
    const std::string name = "batch_norm " + std::to_string(c.n) + "x" + std::to_string(c.channels) + "x" +
                             std::to_string(c.inner);
    expect_same_on_both(name, {values(count, 43, 4.0f, 6.0f), values(ch, 44), values(ch, 45), values(count, 46)},
                        {values(ch, 47), values(ch, 48), values(ch, 49, 0.5f, 2.0f), values(count, 50),
                         values(count, 51), values(ch, 52), values(ch, 53)},
                        [&](Backend& b, auto& in, auto& out) {
                          const float* gamma = c.affine ? in[1] : nullptr;
                          b.batch_norm_stats(in[0], out[0], out[1], c.n, c.channels, c.inner);
                          // out[2] holds an rstd-like positive vector (the op derives it from var).
                          b.batch_norm_apply(in[0], out[0], out[2], gamma, c.affine ? in[2] : nullptr, out[3], c.n,
                                             c.channels, c.inner);
                          b.batch_norm_backward(in[0], out[0], out[2], gamma, in[3], out[4], out[5], out[6], c.n,
                                                c.channels, c.inner, c.batch_stats);
                        },
                        {1e-4f, 1e-4f});
  }
}

BOOST_AUTO_TEST_CASE(gather_and_scatter_add_with_repeated_indices) {
  const std::vector<int64_t> index{16, 0, 3, 3, 8, 16, 16};
  const int64_t outer = 3, axis = 17, inner = 5, count = static_cast<int64_t>(index.size());
  expect_same_on_both("index_select", {values(outer * axis * inner, 54)}, {values(outer * count * inner, 55)},
                      [&](Backend& b, auto& in, auto& out) {
                        b.index_select(in[0], out[0], outer, axis, inner, index.data(), count);
                      });
  expect_same_on_both("index_add", {values(outer * count * inner, 56)}, {values(outer * axis * inner, 57)},
                      [&](Backend& b, auto& in, auto& out) {
                        b.index_add(in[0], out[0], outer, axis, inner, index.data(), count);
                      });
}

BOOST_AUTO_TEST_CASE(topk_adjacency_with_ties) {
  for (auto [n, k] : {std::pair<int64_t, int64_t>{27, 4}, {17, 1}, {17, 17}}) {
    const size_t count = static_cast<size_t>(3 * n * n);
    expect_same_on_both("topk " + std::to_string(n) + " k " + std::to_string(k), {quantised(count, 58, 0.125f)},
                        {values(count, 59)},
                        [&](Backend& b, auto& in, auto& out) { b.topk_adjacency(in[0], out[0], 3, n, k); });
  }
}

BOOST_AUTO_TEST_CASE(dropout_masks_draw_the_same_numbers) {
  expect_same_on_both("dropout", {}, {values(1001, 60)},
                      [](Backend& b, auto&, auto& out) { b.dropout_mask(out[0], 1001, 0.3f, 1234, 77); },
                      {0.0f, 0.0f});
}

BOOST_AUTO_TEST_CASE(fused_adamw_step) {
  const AdamWStep step{1e-3, 0.9, 0.999, 1e-8, 0.01, 1.0 - 0.9 * 0.9 * 0.9, 1.0 - 0.999 * 0.999 * 0.999};
  expect_same_on_both("adamw", {values(459, 61)}, {values(459, 62), values(459, 63), values(459, 64, 0.0f, 0.01f)},
                      [&](Backend& b, auto& in, auto& out) { b.adamw(out[0], in[0], out[1], out[2], 459, step); });
}

}  // namespace
}  // namespace kasf::test
