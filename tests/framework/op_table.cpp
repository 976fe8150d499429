// Runs the op table: one Boost.Test case per (backend, op case), registered at start-up so CTest
// lists each op separately (ops/<device>/<case>).
#define BOOST_TEST_NO_MAIN
#define BOOST_TEST_ALTERNATIVE_INIT_API
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>

#include "framework/autograd.h"
#include "framework/random.h"
#include "tests/framework/op_table.h"
#include "tests/framework/test_devices.h"

namespace kasf::test {

size_t broadcast_source(const Shape& out, const Shape& in, size_t out_index) {
  size_t index = 0, stride = 1;
  size_t rest = out_index;
  const size_t lead = out.size() - in.size();
  for (size_t d = out.size(); d-- > 0;) {
    size_t i = rest % out[d];
    rest /= out[d];
    if (d >= lead) {
      int64_t n = in[d - lead];
      if (n != 1) index += i * stride;
      stride *= n;
    }
  }
  return index;
}

namespace {

uint64_t seed_of(const std::string& name) {
  uint64_t h = 1469598103934665603ull;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

// A tensor with `values` (row-major for `shape`) on `device`; with `strided`, its storage is laid
// out transposed and the tensor is a permuted, non-contiguous view of it.
Tensor make_input(const Shape& shape, const HostValues& values, Device device, bool strided) {
  if (!strided || shape.size() < 2) return Tensor::from_vector(shape, values, device);
  Shape reversed(shape.rbegin(), shape.rend());
  HostValues storage(values.size());
  Shape out_strides = contiguous_strides(shape);
  Shape rev_strides = contiguous_strides(reversed);
  for (size_t i = 0; i < values.size(); ++i) {
    size_t rest = i, j = 0;
    for (size_t d = 0; d < shape.size(); ++d) {
      size_t coordinate = rest / out_strides[d];
      rest %= out_strides[d];
      j += coordinate * rev_strides[shape.size() - 1 - d];
    }
    storage[j] = values[i];
  }
  std::vector<int64_t> dims(shape.size());
  for (size_t d = 0; d < shape.size(); ++d) dims[d] = static_cast<int64_t>(shape.size() - 1 - d);
  Tensor base = Tensor::from_vector(reversed, storage, device);
  return permute(base, dims).detach();
}

bool close(double actual, double expected, double rtol, double atol) {
  return std::fabs(actual - expected) <= atol + rtol * std::fabs(expected);
}

// sum(op(inputs) * weights) in double, evaluated without the graph.
double weighted_output(const OpCase& c, const std::vector<Tensor>& inputs, const HostValues& weights) {
  NoGradGuard no_grad;
  HostValues out = c.op(inputs).to_vector();
  double s = 0;
  for (size_t i = 0; i < out.size(); ++i) s += static_cast<double>(out[i]) * weights[i];
  return s;
}

void run_case(const OpCase& c, Device device, bool strided) {
  Generator gen(seed_of(c.name));
  std::vector<HostValues> host(c.input_shapes.size());
  for (size_t i = 0; i < host.size(); ++i) {
    host[i].resize(static_cast<size_t>(numel(c.input_shapes[i])));
    for (float& v : host[i]) v = gen.uniform(c.low, c.high);
  }
  if (c.prepare) c.prepare(host);

  std::vector<Tensor> inputs;
  for (size_t i = 0; i < host.size(); ++i) inputs.push_back(make_input(c.input_shapes[i], host[i], device, strided));

  // Forward against the direct reference.
  Shape expected_shape;
  HostValues expected;
  c.reference(host, expected_shape, expected);
  for (const Tensor& t : inputs) t.set_requires_grad(c.has_gradient);
  Tensor out = c.op(inputs);
  BOOST_REQUIRE_MESSAGE(out.shape() == expected_shape,
                        c.name << ": output shape " << to_string(out.shape()) << ", expected " << to_string(expected_shape));
  HostValues actual = out.to_vector();
  for (size_t i = 0; i < expected.size(); ++i)
    BOOST_REQUIRE_MESSAGE(close(actual[i], expected[i], c.forward_rtol, c.forward_atol),
                          c.name << ": output[" << i << "] = " << actual[i] << ", expected " << expected[i]);
  {
    // Again without the graph: an op may compute otherwise when no backward will run (in place).
    NoGradGuard no_grad;
    const HostValues untracked = c.op(inputs).to_vector();
    for (size_t i = 0; i < expected.size(); ++i)
      BOOST_REQUIRE_MESSAGE(close(untracked[i], expected[i], c.forward_rtol, c.forward_atol),
                            c.name << ": output[" << i << "] without the graph = " << untracked[i] << ", expected "
                                   << expected[i]);
  }
  if (!c.has_gradient) {
    BOOST_CHECK_MESSAGE(!out.requires_grad(), c.name << ": a gradient-free op recorded a graph");
    return;
  }

  // Backward with a random upstream gradient against central finite differences of
  // sum(op(x) * weights): every element of small inputs, a random sample of large ones.
  HostValues weights(actual.size());
  for (float& w : weights) w = gen.uniform(-1.0f, 1.0f);
  out.backward(Tensor::from_vector(out.shape(), weights, device));
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!c.differentiable.empty() && !c.differentiable[i]) continue;
    BOOST_REQUIRE_MESSAGE(inputs[i].grad().defined(), c.name << ": no gradient for input " << i);
    HostValues analytic = inputs[i].grad().to_vector();
    const size_t n = host[i].size();
    const size_t samples = std::min<size_t>(n, 48);
    for (size_t s = 0; s < samples; ++s) {
      size_t e = samples == n ? s : static_cast<size_t>(gen.below(n));
      if (c.near_kink && c.near_kink(i, e, host)) continue;
      auto perturbed = [&](float delta) {
        std::vector<HostValues> h = host;
        h[i][e] += delta;
        std::vector<Tensor> ts;
        for (size_t k = 0; k < h.size(); ++k) ts.push_back(make_input(c.input_shapes[k], h[k], device, strided));
        return weighted_output(c, ts, weights);
      };
      double numeric = (perturbed(c.fd_epsilon) - perturbed(-c.fd_epsilon)) / (2.0 * c.fd_epsilon);
      BOOST_CHECK_MESSAGE(close(analytic[e], numeric, c.grad_rtol, c.grad_atol),
                          c.name << ": d/d input" << i << "[" << e << "] = " << analytic[e] << ", finite difference "
                                 << numeric);
    }
  }
}

std::vector<OpCase>& table() {
  static std::vector<OpCase> cases = [] {
    std::vector<OpCase> t;
    add_elementwise_cases(t);
    add_shape_cases(t);
    add_reduction_cases(t);
    add_linalg_cases(t);
    add_nn_cases(t);
    add_fused_cases(t);
    return t;
  }();
  return cases;
}

}  // namespace
}  // namespace kasf::test

bool init_unit_test() {
  using namespace kasf::test;
  auto* ops = BOOST_TEST_SUITE("ops");
  for (const TestDevice& device : test_devices()) {
    auto* suite = BOOST_TEST_SUITE(device.name);
    for (const OpCase& c : table()) {
      for (bool strided : {false, true}) {
        if (strided && std::none_of(c.input_shapes.begin(), c.input_shapes.end(),
                                    [](const kasf::Shape& s) { return s.size() >= 2; }))
          continue;
        std::string name = c.name + (strided ? "_strided" : "");
        const OpCase* cp = &c;
        const TestDevice dev = device;
        suite->add(boost::unit_test::make_test_case(
            [cp, dev, strided] {
              if (!dev.available) {
                BOOST_TEST_MESSAGE("SKIPPED: " << dev.why_unavailable);
                return;
              }
              run_case(*cp, dev.device, strided);
            },
            name, __FILE__, __LINE__));
      }
    }
    ops->add(suite);
  }
  boost::unit_test::framework::master_test_suite().add(ops);
  return true;
}

int main(int argc, char* argv[]) { return boost::unit_test::unit_test_main(&init_unit_test, argc, argv); }
