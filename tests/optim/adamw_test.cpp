// AdamW against torch.optim.AdamW (PyTorch 1.13), step by step, on the inputs and results recorded in
// tests/data/optim/adamw_reference.txt by scripts/make_optim_reference.py, on every test device (the
// optimizer runs each backend's fused kernel).
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "framework/cpu/cpu_backend.h"
#include "framework/ops.h"
#include "optim/adamw.h"
#include "tests/framework/test_devices.h"
#include "tests/optim/reference_table.h"

namespace kasf {
namespace {

const char* const kTable = "../data/optim/adamw_reference.txt";

using Values = std::vector<float>;

struct ReferenceStep {
  double lr;
  std::map<std::string, Values> grads;     // parameters without an entry get no gradient
  std::map<std::string, Values> expected;  // every parameter after the step
};

struct AdamWReference {
  AdamWOptions options;
  std::vector<std::pair<std::string, Values>> initial;  // in table order
  std::vector<ReferenceStep> steps;
  std::map<std::string, AdamWParameterState> final_state;  // parameters PyTorch holds state for
};

AdamWReference read_reference() {
  AdamWReference ref;
  for (const test::ReferenceRecord& r : test::read_reference_table(kTable)) {
    const auto current_step = [&]() -> ReferenceStep& {
      if (ref.steps.empty()) throw std::runtime_error(r.where + ": '" + r.keyword + "' before any step");
      return ref.steps.back();
    };
    const auto final_state = [&]() -> AdamWParameterState& {
      const auto found = ref.final_state.find(r.text(0));
      if (found == ref.final_state.end()) throw std::runtime_error(r.where + ": moments before their 'state'");
      return found->second;
    };
    if (r.keyword == "options") {
      ref.options = {0.0, r.number(0), r.number(1), r.number(2), r.number(3)};
    } else if (r.keyword == "param") {
      ref.initial.emplace_back(r.text(0), r.floats_from(1));
    } else if (r.keyword == "step") {
      if (r.integer(0) != static_cast<int64_t>(ref.steps.size()) + 1)
        throw std::runtime_error(r.where + ": steps out of order");
      ref.steps.push_back({r.number(1), {}, {}});
    } else if (r.keyword == "grad") {
      current_step().grads[r.text(0)] = r.floats_from(1);
    } else if (r.keyword == "expect") {
      current_step().expected[r.text(0)] = r.floats_from(1);
    } else if (r.keyword == "state") {
      ref.final_state[r.text(0)] = {r.text(0), r.integer(1), {}, {}};
    } else if (r.keyword == "exp_avg") {
      final_state().exp_avg = r.floats_from(1);
    } else if (r.keyword == "exp_avg_sq") {
      final_state().exp_avg_sq = r.floats_from(1);
    } else {
      throw std::runtime_error(r.where + ": unknown record '" + r.keyword + "'");
    }
  }
  if (ref.initial.empty() || ref.steps.empty()) throw std::runtime_error(std::string(kTable) + " is incomplete");
  ref.options.lr = ref.steps.front().lr;
  return ref;
}

Values tiled(const Values& values, int64_t tiles) {
  Values out;
  for (int64_t t = 0; t < tiles; ++t) out.insert(out.end(), values.begin(), values.end());
  return out;
}

// Every element of `actual` (`tiles` copies of the reference layout) agrees with `expected` to float32
// accuracy: within 2e-7 relative (a few float32 ulps), or absolute below magnitude 1.
void check_close(const Values& actual, const Values& expected, int64_t tiles, const std::string& what) {
  BOOST_TEST_REQUIRE(actual.size() == expected.size() * static_cast<size_t>(tiles), what << ": size");
  double worst = 0.0;
  size_t worst_index = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    const double e = expected[i % expected.size()];
    const double error = std::abs(actual[i] - e) / std::max(1.0, std::abs(e));
    if (!(error <= worst)) {  // NaN counts as the worst possible error
      worst = std::isnan(error) ? INFINITY : error;
      worst_index = i;
    }
  }
  BOOST_TEST(worst <= 2e-7, what << ": element " << worst_index << " is " << actual[worst_index] << ", torch has "
                                 << expected[worst_index % expected.size()] << " (error " << worst << ")");
}

// The reference's parameters, each repeated `tiles` times, as leaf tensors on one device.
struct Model {
  Device device;
  std::vector<NamedParameter> parameters;
  const Tensor& operator[](const std::string& name) const {
    for (const NamedParameter& p : parameters)
      if (p.name == name) return p.value;
    throw std::out_of_range("no parameter " + name);
  }
};

Tensor vector_tensor(const Values& values, Device device) {
  return Tensor::from_vector({static_cast<int64_t>(values.size())}, values, device);
}

Model make_model(const AdamWReference& ref, int64_t tiles, Device device) {
  Model model{device, {}};
  for (const auto& [name, values] : ref.initial) {
    Tensor t = vector_tensor(tiled(values, tiles), device);
    t.set_requires_grad(true);
    model.parameters.push_back({name, t});
  }
  return model;
}

// Runs reference steps [begin, end) — lr, gradients, update — and compares every parameter after each.
void replay(AdamW& optimizer, const Model& model, const AdamWReference& ref, size_t begin, size_t end,
            int64_t tiles) {
  for (size_t s = begin; s < end; ++s) {
    const ReferenceStep& step = ref.steps[s];
    optimizer.set_lr(step.lr);
    optimizer.zero_grad();
    for (const auto& [name, grad] : step.grads)
      model[name].set_grad(vector_tensor(tiled(grad, tiles), model.device));
    optimizer.step();
    for (const auto& [name, expected] : step.expected)
      check_close(model[name].to_vector(), expected, tiles, "step " + std::to_string(s + 1) + " " + name);
  }
}

void check_final_state(const AdamW& optimizer, const AdamWReference& ref, int64_t tiles) {
  const AdamWState state = optimizer.state();
  BOOST_TEST(state.lr == ref.steps.back().lr);
  BOOST_TEST_REQUIRE(state.parameters.size() == ref.final_state.size());
  for (const AdamWParameterState& actual : state.parameters) {
    const auto found = ref.final_state.find(actual.name);
    BOOST_TEST_REQUIRE((found != ref.final_state.end()), actual.name << " has state, torch has none");
    BOOST_TEST(actual.step == found->second.step, actual.name);
    check_close(actual.exp_avg, found->second.exp_avg, tiles, actual.name + " exp_avg");
    check_close(actual.exp_avg_sq, found->second.exp_avg_sq, tiles, actual.name + " exp_avg_sq");
  }
}

BOOST_AUTO_TEST_SUITE(adamw)

BOOST_AUTO_TEST_CASE(matches_torch_step_by_step) {
  const AdamWReference ref = read_reference();
  test::on_every_device([&](Device device) {
    const Model model = make_model(ref, 1, device);
    AdamW optimizer(model.parameters, ref.options);
    replay(optimizer, model, ref, 0, ref.steps.size(), 1);
    check_final_state(optimizer, ref, 1);
  });
}

BOOST_AUTO_TEST_CASE(multithreaded_cpu_kernel_matches_torch) {
  // Enough copies of the reference to cross the CPU kernel's parallel grain; every element is
  // updated on its own, so each copy must follow the reference.
  const AdamWReference ref = read_reference();
  const int64_t tiles = cpu::kParallelGrain / static_cast<int64_t>(ref.initial.front().second.size()) + 1;
  const Model model = make_model(ref, tiles, Device::CPU);
  AdamW optimizer(model.parameters, ref.options);
  replay(optimizer, model, ref, 0, ref.steps.size(), tiles);
  check_final_state(optimizer, ref, tiles);
}

BOOST_AUTO_TEST_CASE(restored_state_continues_like_torch) {
  const AdamWReference ref = read_reference();
  const size_t split = ref.steps.size() / 2;
  test::on_every_device([&](Device device) {
    const Model first = make_model(ref, 1, device);
    AdamW first_optimizer(first.parameters, ref.options);
    replay(first_optimizer, first, ref, 0, split, 1);

    // A fresh process: parameters and optimizer state come back from host copies.
    const Model resumed = make_model(ref, 1, device);
    for (const NamedParameter& p : first.parameters)
      resumed[p.name].copy_from(vector_tensor(p.value.to_vector(), device));
    AdamWOptions fresh = ref.options;
    fresh.lr = 0.0;  // the saved lr must replace it
    AdamW resumed_optimizer(resumed.parameters, fresh);
    resumed_optimizer.load_state(first_optimizer.state());
    BOOST_TEST(resumed_optimizer.lr() == ref.steps[split - 1].lr);
    replay(resumed_optimizer, resumed, ref, split, ref.steps.size(), 1);
    check_final_state(resumed_optimizer, ref, 1);
  });
}

BOOST_AUTO_TEST_CASE(rejects_a_bad_state_and_keeps_its_own) {
  const AdamWReference ref = read_reference();
  const Model model = make_model(ref, 1, Device::CPU);
  AdamW optimizer(model.parameters, ref.options);
  replay(optimizer, model, ref, 0, 1, 1);
  const AdamWState good = optimizer.state();
  const auto rejected = [&](const AdamWState& bad, const std::string& message_part) {
    try {
      optimizer.load_state(bad);
      BOOST_ERROR("accepted a bad state (" << message_part << ")");
    } catch (const std::invalid_argument& e) {
      BOOST_TEST(std::string(e.what()).find(message_part) != std::string::npos, e.what());
    }
  };
  AdamWState bad = good;
  bad.parameters[0].name = "no_such_parameter";
  rejected(bad, "'no_such_parameter'");
  bad = good;
  bad.parameters[0].exp_avg_sq.pop_back();
  rejected(bad, "'" + good.parameters[0].name + "'");
  bad = good;
  bad.parameters[1].step = 0;
  rejected(bad, "'" + good.parameters[1].name + "'");
  bad = good;
  bad.parameters.push_back(bad.parameters[0]);
  rejected(bad, "twice");

  const AdamWState kept = optimizer.state();
  BOOST_TEST_REQUIRE(kept.parameters.size() == good.parameters.size());
  for (size_t i = 0; i < kept.parameters.size(); ++i) {
    BOOST_TEST(kept.parameters[i].step == good.parameters[i].step);
    BOOST_TEST(kept.parameters[i].exp_avg == good.parameters[i].exp_avg);
  }
}

BOOST_AUTO_TEST_CASE(one_pass_over_the_arena_equals_the_per_parameter_update) {
  test::on_every_device([](Device device) {
    // Two copies of a small model. Backward leaves one's gradients in its arena, so each step is
    // one pass; the other has a parameter no loss reaches, so it is updated parameter by parameter.
    const auto parameter = [&](const Shape& shape, float scale) {
      std::vector<float> values(static_cast<size_t>(numel(shape)));
      for (size_t i = 0; i < values.size(); ++i) values[i] = scale * std::sin(1.0f + static_cast<float>(i));
      return Tensor::from_vector(shape, values, device).set_requires_grad(true);
    };
    const auto model = [&] {
      return std::vector<NamedParameter>{{"w", parameter({3, 4}, 0.5f)}, {"b", parameter({4}, 0.1f)},
                                         {"v", parameter({4, 2}, -0.3f)}};
    };
    const std::vector<NamedParameter> fused = model();
    std::vector<NamedParameter> separate = model();
    separate.push_back({"frozen", parameter({5}, 1.0f)});
    AdamW fused_optimizer(fused, {});
    AdamW separate_optimizer(separate, {});
    const float* gradient_buffer = nullptr;
    for (int step = 0; step < 4; ++step) {
      const Tensor x = Tensor::from_vector({2, 3}, {1, -2, 3, 0.5f, static_cast<float>(step), -1}, device);
      const auto loss = [&](const std::vector<NamedParameter>& p) {
        const Tensor y = matmul(matmul(x, p[0].value) + p[1].value, p[2].value);
        return sum(y * y);
      };
      fused_optimizer.zero_grad();
      separate_optimizer.zero_grad();
      loss(fused).backward();
      loss(separate).backward();
      fused_optimizer.step();
      separate_optimizer.step();
      // From the second step on the gradient is summed where the first step's arena put it.
      if (step > 0) BOOST_TEST(fused[0].value.grad().data() == gradient_buffer);
      gradient_buffer = fused[0].value.grad().data();
      for (size_t i = 0; i < fused.size(); ++i)
        BOOST_TEST(fused[i].value.to_vector() == separate[i].value.to_vector(), fused[i].name << " step " << step);
    }
    const AdamWState a = fused_optimizer.state(), b = separate_optimizer.state();
    BOOST_TEST_REQUIRE(a.parameters.size() == b.parameters.size());  // "frozen" never stepped
    for (size_t i = 0; i < a.parameters.size(); ++i) {
      BOOST_TEST(a.parameters[i].step == 4);
      BOOST_TEST(a.parameters[i].step == b.parameters[i].step);
      BOOST_TEST(a.parameters[i].exp_avg == b.parameters[i].exp_avg);
      BOOST_TEST(a.parameters[i].exp_avg_sq == b.parameters[i].exp_avg_sq);
    }
  });
}

BOOST_AUTO_TEST_CASE(refuses_a_parameter_moved_after_the_first_step) {
  const Tensor w = Tensor::full({2}, 1.0f).set_requires_grad(true);
  AdamW optimizer({{"w", w}}, {});
  w.set_grad(Tensor::full({2}, 0.5f));
  optimizer.step();
  w.move_to(Device::EmulatedCuda);
  w.set_grad(Tensor::full({2}, 0.5f, Device::EmulatedCuda));
  try {
    optimizer.step();
    BOOST_ERROR("stepped a parameter that left the arena");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()).find("'w'") != std::string::npos, e.what());
    BOOST_TEST(std::string(e.what()).find("moved after the first step") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_CASE(rejects_invalid_parameters_and_gradients) {
  const Tensor w = Tensor::zeros({2, 3});
  BOOST_CHECK_THROW(AdamW({{"w", w}, {"w", Tensor::zeros({1})}}, {}), std::invalid_argument);
  BOOST_CHECK_THROW(AdamW({{"", w}}, {}), std::invalid_argument);
  AdamWOptions options;
  options.beta2 = 1.0;
  BOOST_CHECK_THROW(AdamW({{"w", w}}, options), std::invalid_argument);

  AdamW optimizer({{"w", w}}, {});
  w.set_grad(Tensor::zeros({3, 2}));
  BOOST_CHECK_THROW(optimizer.step(), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf
