#include "optim/adamw.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace kasf {
namespace {

[[noreturn]] void fail(const std::string& what) { throw std::invalid_argument("AdamW: " + what); }
void require(bool ok, const std::string& what) {
  if (!ok) fail(what);
}

void validate_lr(double lr) { require(lr >= 0.0, "lr must be >= 0, got " + std::to_string(lr)); }

}  // namespace

AdamW::AdamW(std::vector<NamedParameter> parameters, const AdamWOptions& options)
    : parameters_(std::move(parameters)), steps_(parameters_.size(), 0), options_(options) {
  validate_lr(options.lr);
  for (const auto& [name, beta] : {std::pair{"beta1", options.beta1}, std::pair{"beta2", options.beta2}})
    require(beta >= 0.0 && beta < 1.0, std::string(name) + " must be in [0, 1), got " + std::to_string(beta));
  require(options.eps >= 0.0, "eps must be >= 0, got " + std::to_string(options.eps));
  require(options.weight_decay >= 0.0, "weight_decay must be >= 0, got " + std::to_string(options.weight_decay));
  std::unordered_set<std::string> names;
  for (const NamedParameter& p : parameters_) {
    require(!p.name.empty(), "a parameter has an empty name");
    require(names.insert(p.name).second, "parameter '" + p.name + "' is listed twice");
    require(p.value.defined(), "parameter '" + p.name + "' is an undefined tensor");
    require(p.value.is_contiguous(), "parameter '" + p.name + "' " + describe(p.value) + " is not contiguous");
    offsets_.push_back(total_);
    total_ += p.value.numel();
  }
}

void AdamW::set_lr(double lr) {
  validate_lr(lr);
  options_.lr = lr;
}

Tensor AdamW::window(const Tensor& flat, size_t i) const {
  const Tensor& param = parameters_[i].value;
  return make_view(flat, param.shape(), param.strides(), offsets_[i]);
}

AdamWStep AdamW::update_for(int64_t step) const {
  // Bias corrections from the step count, in float64 as PyTorch computes them.
  const double steps = static_cast<double>(step);
  return {options_.lr, options_.beta1, options_.beta2, options_.eps, options_.weight_decay,
          1.0 - std::pow(options_.beta1, steps), 1.0 - std::pow(options_.beta2, steps)};
}

void AdamW::update_one(size_t i) {
  const Tensor& param = parameters_[i].value;
  const Tensor grad = param.grad();
  if (!grad.defined()) return;
  if (grad.shape() != param.shape() || grad.device() != param.device())
    fail("gradient " + describe(grad) + " of parameter '" + parameters_[i].name + "' does not match it (" +
         describe(param) + ")");
  const Tensor grad_values = grad.contiguous();
  param.backend().adamw(param.data(), grad_values.data(), window(exp_avg_, i).data(), window(exp_avg_sq_, i).data(),
                        param.numel(), update_for(++steps_[i]));
}

void AdamW::step() {
  if (parameters_.empty()) return;
  if (!arena_) {
    std::vector<Tensor> values;
    for (const NamedParameter& p : parameters_) values.push_back(p.value);
    arena_.emplace(std::move(values));
  }
  for (size_t i = 0; i < parameters_.size(); ++i)
    if (!arena_->holds(i))
      fail("parameter '" + parameters_[i].name + "' " + describe(parameters_[i].value) +
           " was moved after the first step; move the model before training it");
  if (!exp_avg_.defined()) {
    exp_avg_ = Tensor::zeros({total_}, arena_->device());
    exp_avg_sq_ = Tensor::zeros({total_}, arena_->device());
  }
  if (exp_avg_.device() != arena_->device())
    fail("the loaded state is on " + describe(exp_avg_) + ", the parameters on " + describe(arena_->values()) +
         "; load the state after moving the model");
  const bool one_step_count = std::all_of(steps_.begin(), steps_.end(), [&](int64_t s) { return s == steps_[0]; });
  if (one_step_count && arena_->all_grads_in_place()) {
    // The usual step: every parameter at once, element for element the per-parameter update.
    const AdamWStep update = update_for(steps_[0] + 1);
    arena_->values().backend().adamw(arena_->values().data(), arena_->grads().data(), exp_avg_.data(),
                                     exp_avg_sq_.data(), total_, update);
    for (int64_t& s : steps_) ++s;
    return;
  }
  for (size_t i = 0; i < parameters_.size(); ++i) update_one(i);
}

void AdamW::zero_grad() {
  for (const NamedParameter& p : parameters_) p.value.zero_grad();
}

AdamWState AdamW::state() const {
  AdamWState state{options_.lr, {}};
  for (size_t i = 0; i < parameters_.size(); ++i) {
    if (steps_[i] == 0) continue;
    state.parameters.push_back(
        {parameters_[i].name, steps_[i], window(exp_avg_, i).to_vector(), window(exp_avg_sq_, i).to_vector()});
  }
  return state;
}

void AdamW::load_state(const AdamWState& state) {
  validate_lr(state.lr);
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < parameters_.size(); ++i) index.emplace(parameters_[i].name, i);
  // Validate everything before changing anything, so a bad state leaves the optimizer as it was.
  std::vector<int64_t> steps(parameters_.size(), 0);
  std::vector<float> exp_avg(static_cast<size_t>(total_), 0.0f), exp_avg_sq(static_cast<size_t>(total_), 0.0f);
  for (const AdamWParameterState& s : state.parameters) {
    const auto found = index.find(s.name);
    require(found != index.end(), "state names parameter '" + s.name + "', which this optimizer does not have");
    const size_t i = found->second;
    const Tensor& param = parameters_[i].value;
    require(steps[i] == 0, "state lists parameter '" + s.name + "' twice");
    require(s.step >= 1,
            "state of parameter '" + s.name + "' has step " + std::to_string(s.step) + ", expected >= 1");
    const auto expected = static_cast<size_t>(param.numel());
    require(s.exp_avg.size() == expected && s.exp_avg_sq.size() == expected,
            "state of parameter '" + s.name + "' has " + std::to_string(s.exp_avg.size()) + " exp_avg and " +
                std::to_string(s.exp_avg_sq.size()) + " exp_avg_sq values, the parameter " + describe(param) +
                " has " + std::to_string(expected));
    steps[i] = s.step;
    std::copy(s.exp_avg.begin(), s.exp_avg.end(), exp_avg.begin() + offsets_[i]);
    std::copy(s.exp_avg_sq.begin(), s.exp_avg_sq.end(), exp_avg_sq.begin() + offsets_[i]);
  }
  steps_ = std::move(steps);
  if (!parameters_.empty()) {
    const Device device = parameters_[0].value.device();
    exp_avg_ = Tensor::from_vector({total_}, exp_avg, device);
    exp_avg_sq_ = Tensor::from_vector({total_}, exp_avg_sq, device);
  }
  options_.lr = state.lr;
}

}  // namespace kasf
