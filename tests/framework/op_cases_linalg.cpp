// Op table cases: matmul (batched, broadcast, transposed operands, every GEMM path) and linear.
#include "tests/framework/op_table.h"

namespace kasf::test {

namespace {

Shape batch_of(const Shape& s) { return Shape(s.begin(), s.end() - 2); }

// Direct triple loop: out[batch, i, j] = sum_p a[batch', i, p] b[batch'', p, j] with broadcast batches.
void host_matmul(const HostValues& a, const Shape& sa, const HostValues& b, const Shape& sb, Shape& s,
                 HostValues& out) {
  const Shape batch = broadcast_shapes(batch_of(sa), batch_of(sb), "reference");
  const size_t m = sa[sa.size() - 2], k = sa.back(), n = sb.back();
  s = batch;
  s.push_back(static_cast<int64_t>(m));
  s.push_back(static_cast<int64_t>(n));
  out.assign(static_cast<size_t>(numel(s)), 0.0f);
  for (size_t bi = 0; bi < static_cast<size_t>(numel(batch)); ++bi) {
    const size_t a0 = broadcast_source(batch, batch_of(sa), bi) * m * k;
    const size_t b0 = broadcast_source(batch, batch_of(sb), bi) * k * n;
    for (size_t i = 0; i < m; ++i)
      for (size_t j = 0; j < n; ++j) {
        double acc = 0.0;
        for (size_t p = 0; p < k; ++p) acc += static_cast<double>(a[a0 + i * k + p]) * b[b0 + p * n + j];
        out[(bi * m + i) * n + j] = static_cast<float>(acc);
      }
  }
}

// Products are bilinear, so a large finite-difference step is exact and keeps rounding noise small.
OpCase bilinear(OpCase c) {
  c.fd_epsilon = 1e-2f;
  c.forward_rtol = 1e-4f;
  c.forward_atol = 1e-4f;
  return c;
}

OpCase matmul_case(std::string name, Shape a, Shape b) {
  OpCase c;
  c.name = std::move(name);
  c.input_shapes = {a, b};
  c.op = [](const std::vector<Tensor>& x) { return matmul(x[0], x[1]); };
  c.reference = [a, b](const std::vector<HostValues>& in, Shape& s, HostValues& out) {
    host_matmul(in[0], a, in[1], b, s, out);
  };
  return bilinear(c);
}

// a @ b^T with b stored (..., n, k) and passed as a transposed view (the attention Q K^T).
OpCase matmul_transposed_case(std::string name, Shape a, Shape b_stored) {
  OpCase c;
  c.name = std::move(name);
  c.input_shapes = {a, b_stored};
  c.op = [](const std::vector<Tensor>& x) { return matmul(x[0], transpose(x[1], -1, -2)); };
  c.reference = [a, b_stored](const std::vector<HostValues>& in, Shape& s, HostValues& out) {
    const size_t n = b_stored[b_stored.size() - 2], k = b_stored.back();
    const size_t matrices = in[1].size() / (n * k);
    HostValues bt(in[1].size());
    for (size_t q = 0; q < matrices; ++q)
      for (size_t j = 0; j < n; ++j)
        for (size_t p = 0; p < k; ++p) bt[(q * k + p) * n + j] = in[1][(q * n + j) * k + p];
    Shape sb = b_stored;
    std::swap(sb[sb.size() - 1], sb[sb.size() - 2]);
    host_matmul(in[0], a, bt, sb, s, out);
  };
  return bilinear(c);
}

// x (..., in) W^T + b, with or without the bias.
OpCase linear_case(std::string name, Shape x, int64_t out_features, bool with_bias) {
  OpCase c;
  c.name = std::move(name);
  const int64_t in_features = x.back();
  c.input_shapes = {x, {out_features, in_features}};
  if (with_bias) c.input_shapes.push_back({out_features});
  c.op = [with_bias](const std::vector<Tensor>& t) { return linear(t[0], t[1], with_bias ? t[2] : Tensor()); };
  c.reference = [x, out_features, in_features, with_bias](const std::vector<HostValues>& in, Shape& s,
                                                          HostValues& out) {
    s = x;
    s.back() = out_features;
    const size_t rows = in[0].size() / static_cast<size_t>(in_features);
    out.clear();
    for (size_t r = 0; r < rows; ++r)
      for (int64_t o = 0; o < out_features; ++o) {
        double acc = with_bias ? in[2][o] : 0.0;
        for (int64_t i = 0; i < in_features; ++i)
          acc += static_cast<double>(in[0][r * in_features + i]) * in[1][o * in_features + i];
        out.push_back(static_cast<float>(acc));
      }
  };
  return bilinear(c);
}

}  // namespace

void add_linalg_cases(std::vector<OpCase>& t) {
  t.push_back(matmul_case("matmul_2d", {17, 16}, {16, 27}));
  t.push_back(matmul_case("matmul_batched_small", {6, 17, 16}, {6, 16, 17}));
  t.push_back(matmul_case("matmul_batched_few_large", {2, 27, 40}, {2, 40, 33}));
  t.push_back(matmul_case("matmul_batched_many_large", {5, 27, 40}, {5, 40, 33}));
  t.push_back(matmul_case("matmul_shared_right", {2, 3, 5, 4}, {4, 7}));
  t.push_back(matmul_case("matmul_shared_left", {17, 17}, {3, 17, 8}));
  t.push_back(matmul_case("matmul_broadcast_both", {2, 1, 5, 4}, {3, 4, 2}));
  t.push_back(matmul_case("matmul_single_row_and_column", {3, 1, 9}, {3, 9, 1}));
  t.push_back(matmul_transposed_case("matmul_transposed_right", {4, 17, 16}, {4, 17, 16}));
  t.push_back(matmul_transposed_case("matmul_transposed_shared_right", {3, 27, 16}, {5, 16}));
  t.push_back(linear_case("linear_bias", {3, 17, 16}, 8, true));
  t.push_back(linear_case("linear_no_bias", {27, 5}, 3, false));
  t.push_back(linear_case("linear_vector_input", {16}, 4, true));
}

}  // namespace kasf::test
