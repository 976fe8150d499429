#include "optim/adamw.h"

#include <cmath>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace kasf {
namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("AdamW: " + what);
}

void validate_lr(double lr) { require(lr >= 0.0, "lr must be >= 0, got " + std::to_string(lr)); }

}  // namespace

AdamW::AdamW(std::vector<NamedParameter> parameters, const AdamWOptions& options)
    : parameters_(std::move(parameters)), moments_(parameters_.size()), options_(options) {
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
  }
}

void AdamW::set_lr(double lr) {
  validate_lr(lr);
  options_.lr = lr;
}

void AdamW::step() {
  for (size_t i = 0; i < parameters_.size(); ++i) {
    const Tensor& param = parameters_[i].value;
    const Tensor grad = param.grad();
    if (!grad.defined()) continue;
    require(grad.shape() == param.shape() && grad.device() == param.device(),
            "gradient " + describe(grad) + " of parameter '" + parameters_[i].name + "' does not match it (" +
                describe(param) + ")");
    const Tensor grad_values = grad.contiguous();
    Moments& m = moments_[i];
    if (m.step == 0) {
      m.exp_avg = Tensor::zeros(param.shape(), param.device());
      m.exp_avg_sq = Tensor::zeros(param.shape(), param.device());
    }
    ++m.step;
    // Bias corrections from the parameter's own step count, in float64 as PyTorch computes them.
    const double steps = static_cast<double>(m.step);
    const AdamWStep update{options_.lr, options_.beta1, options_.beta2, options_.eps, options_.weight_decay,
                           1.0 - std::pow(options_.beta1, steps), 1.0 - std::pow(options_.beta2, steps)};
    param.backend().adamw(param.data(), grad_values.data(), m.exp_avg.data(), m.exp_avg_sq.data(), param.numel(),
                          update);
  }
}

void AdamW::zero_grad() {
  for (const NamedParameter& p : parameters_) p.value.zero_grad();
}

AdamWState AdamW::state() const {
  AdamWState state{options_.lr, {}};
  for (size_t i = 0; i < parameters_.size(); ++i) {
    const Moments& m = moments_[i];
    if (m.step == 0) continue;
    state.parameters.push_back({parameters_[i].name, m.step, m.exp_avg.to_vector(), m.exp_avg_sq.to_vector()});
  }
  return state;
}

void AdamW::load_state(const AdamWState& state) {
  validate_lr(state.lr);
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < parameters_.size(); ++i) index.emplace(parameters_[i].name, i);
  // Validate everything before changing anything, so a bad state leaves the optimizer as it was.
  std::vector<Moments> loaded(parameters_.size());
  for (const AdamWParameterState& s : state.parameters) {
    const auto found = index.find(s.name);
    require(found != index.end(), "state names parameter '" + s.name + "', which this optimizer does not have");
    const Tensor& param = parameters_[found->second].value;
    Moments& m = loaded[found->second];
    require(m.step == 0, "state lists parameter '" + s.name + "' twice");
    require(s.step >= 1,
            "state of parameter '" + s.name + "' has step " + std::to_string(s.step) + ", expected >= 1");
    const auto expected = static_cast<size_t>(param.numel());
    require(s.exp_avg.size() == expected && s.exp_avg_sq.size() == expected,
            "state of parameter '" + s.name + "' has " + std::to_string(s.exp_avg.size()) + " exp_avg and " +
                std::to_string(s.exp_avg_sq.size()) + " exp_avg_sq values, the parameter " + describe(param) +
                " has " + std::to_string(expected));
    m.step = s.step;
    m.exp_avg = Tensor::from_vector(param.shape(), s.exp_avg, param.device());
    m.exp_avg_sq = Tensor::from_vector(param.shape(), s.exp_avg_sq, param.device());
  }
  moments_ = std::move(loaded);
  options_.lr = state.lr;
}

}  // namespace kasf
