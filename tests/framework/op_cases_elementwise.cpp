// Op table cases: broadcasting arithmetic, multiply-add, scalar and unary maps, comparisons, where.
#include <cmath>

#include "tests/framework/op_table.h"

namespace kasf::test {

namespace {

using Fn2 = std::function<float(float, float)>;

OpCase binary_case(std::string name, Shape a, Shape b, std::function<Tensor(const Tensor&, const Tensor&)> op, Fn2 f) {
  OpCase c;
  c.name = std::move(name);
  c.input_shapes = {a, b};
  c.op = [op](const std::vector<Tensor>& x) { return op(x[0], x[1]); };
  c.reference = [a, b, f](const std::vector<HostValues>& in, Shape& shape, HostValues& out) {
    shape = broadcast_shapes(a, b, "reference");
    out.resize(static_cast<size_t>(numel(shape)));
    for (size_t i = 0; i < out.size(); ++i)
      out[i] = f(in[0][broadcast_source(shape, a, i)], in[1][broadcast_source(shape, b, i)]);
  };
  return c;
}

OpCase unary_case(std::string name, Shape shape, std::function<Tensor(const Tensor&)> op, std::function<double(double)> f) {
  OpCase c;
  c.name = std::move(name);
  c.input_shapes = {shape};
  c.op = [op](const std::vector<Tensor>& x) { return op(x[0]); };
  c.reference = [shape, f](const std::vector<HostValues>& in, Shape& s, HostValues& out) {
    s = shape;
    out.clear();
    for (float v : in[0]) out.push_back(static_cast<float>(f(v)));
  };
  return c;
}

// multiply_add(a, b, c) = a + b * c against the reference's own broadcasting.
OpCase multiply_add_case(std::string name, Shape a, Shape b, Shape c) {
  OpCase t;
  t.name = std::move(name);
  t.input_shapes = {a, b, c};
  t.op = [](const std::vector<Tensor>& x) { return multiply_add(x[0], x[1], x[2]); };
  t.reference = [a, b, c](const std::vector<HostValues>& in, Shape& shape, HostValues& out) {
    shape = broadcast_shapes(broadcast_shapes(a, b, "reference"), c, "reference");
    out.resize(static_cast<size_t>(numel(shape)));
    for (size_t i = 0; i < out.size(); ++i)
      out[i] = in[0][broadcast_source(shape, a, i)] +
               in[1][broadcast_source(shape, b, i)] * in[2][broadcast_source(shape, c, i)];
  };
  return t;
}

// Keeps values at least `margin` away from zero, keeping their sign.
void away_from_zero(HostValues& v, float margin) {
  for (float& x : v) x = x >= 0 ? x + margin : x - margin;
}

}  // namespace

void add_elementwise_cases(std::vector<OpCase>& t) {
  auto add_f = [](float a, float b) { return a + b; };
  auto mul_f = [](float a, float b) { return a * b; };
  t.push_back(binary_case("add", {3, 17, 5}, {3, 17, 5}, add, add_f));
  t.push_back(binary_case("add_broadcast_both", {4, 1, 17}, {3, 17}, add, add_f));
  t.push_back(binary_case("add_broadcast_row", {27, 17, 8}, {8}, add, add_f));
  t.push_back(binary_case("add_broadcast_scalar", {5, 3}, {}, add, add_f));
  t.push_back(binary_case("sub_broadcast", {2, 3, 1}, {1, 3, 7}, sub, [](float a, float b) { return a - b; }));
  t.push_back(binary_case("mul", {17, 27}, {17, 27}, mul, mul_f));
  t.push_back(binary_case("mul_broadcast", {2, 27, 17, 4}, {17, 1}, mul, mul_f));
  // The residual with a layer scale, the adaptive fusion's per-token weights (either operand) and
  // broadcasting of every operand.
  t.push_back(multiply_add_case("multiply_add_layer_scale", {2, 27, 17, 8}, {8}, {2, 27, 17, 8}));
  t.push_back(multiply_add_case("multiply_add_row_weight", {3, 5, 8}, {3, 5, 8}, {3, 5, 1}));
  t.push_back(multiply_add_case("multiply_add_row_weight_first", {3, 5, 8}, {3, 5, 1}, {3, 5, 8}));
  t.push_back(multiply_add_case("multiply_add_broadcast_all", {4, 1, 3}, {1, 5, 1}, {5, 3}));
  OpCase d = binary_case("div_broadcast", {3, 5, 4}, {5, 1}, div, [](float a, float b) { return a / b; });
  d.prepare = [](std::vector<HostValues>& in) { away_from_zero(in[1], 0.5f); };
  t.push_back(d);

  t.push_back(unary_case("add_scalar", {4, 9}, [](const Tensor& x) { return x + 0.75f; }, [](double x) { return x + 0.75; }));
  t.push_back(unary_case("mul_scalar", {4, 9}, [](const Tensor& x) { return x * -1.5f; }, [](double x) { return -1.5 * x; }));
  t.push_back(unary_case("neg", {17, 3}, [](const Tensor& x) { return -x; }, [](double x) { return -x; }));
  OpCase p = unary_case("pow_scalar", {6, 5}, [](const Tensor& x) { return pow_scalar(x, 2.5f); },
                        [](double x) { return std::pow(x, 2.5); });
  p.low = 0.2f, p.high = 2.0f;
  t.push_back(p);
  OpCase s = unary_case("sqrt", {6, 5}, [](const Tensor& x) { return sqrt(x); }, [](double x) { return std::sqrt(x); });
  s.low = 0.1f, s.high = 3.0f;
  t.push_back(s);
  t.push_back(unary_case("exp", {7, 3}, [](const Tensor& x) { return exp(x); }, [](double x) { return std::exp(x); }));
  OpCase l = unary_case("log", {7, 3}, [](const Tensor& x) { return log(x); }, [](double x) { return std::log(x); });
  l.low = 0.2f, l.high = 4.0f;
  t.push_back(l);
  OpCase r = unary_case("relu", {17, 9}, [](const Tensor& x) { return relu(x); }, [](double x) { return x > 0 ? x : 0.0; });
  // ReLU has a kink at 0: central differences across it are meaningless.
  r.near_kink = [eps = r.fd_epsilon](size_t, size_t e, const std::vector<HostValues>& in) { return std::fabs(in[0][e]) <= 2 * eps; };
  t.push_back(r);
  OpCase g = unary_case("gelu", {17, 9}, [](const Tensor& x) { return gelu(x); },
                        [](double x) { return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); });
  g.low = -4.0f, g.high = 4.0f;
  t.push_back(g);
  t.push_back(unary_case("tanh", {17, 9}, [](const Tensor& x) { return tanh(x); }, [](double x) { return std::tanh(x); }));
  t.push_back(unary_case("sigmoid", {17, 9}, [](const Tensor& x) { return sigmoid(x); },
                         [](double x) { return 1.0 / (1.0 + std::exp(-x)); }));

  // Comparisons on values snapped to a coarse grid, so that equal pairs occur.
  auto snap = [](std::vector<HostValues>& in) {
    for (auto& v : in)
      for (float& x : v) x = std::round(x * 2.0f) / 2.0f;
  };
  for (auto [name, op, f] : {std::tuple<const char*, Tensor (*)(const Tensor&, const Tensor&), Fn2>{
                                 "eq", eq, [](float a, float b) { return a == b ? 1.0f : 0.0f; }},
                             {"gt", gt, [](float a, float b) { return a > b ? 1.0f : 0.0f; }},
                             {"ge", ge, [](float a, float b) { return a >= b ? 1.0f : 0.0f; }}}) {
    OpCase c = binary_case(name, {6, 17}, {17}, op, f);
    c.prepare = snap;
    c.has_gradient = false;
    t.push_back(c);
  }

  OpCase w;
  w.name = "where";
  w.input_shapes = {{5, 1, 17}, {5, 4, 17}, {17}};
  w.op = [](const std::vector<Tensor>& x) { return where(x[0], x[1], x[2]); };
  w.prepare = [](std::vector<HostValues>& in) {
    for (float& c : in[0]) c = c > 0 ? 1.0f : 0.0f;
  };
  w.reference = [](const std::vector<HostValues>& in, Shape& shape, HostValues& out) {
    shape = {5, 4, 17};
    out.resize(5 * 4 * 17);
    for (size_t i = 0; i < out.size(); ++i)
      out[i] = in[0][broadcast_source(shape, {5, 1, 17}, i)] != 0 ? in[1][i] : in[2][i % 17];
  };
  w.differentiable = {false, true, true};
  t.push_back(w);
}

}  // namespace kasf::test
