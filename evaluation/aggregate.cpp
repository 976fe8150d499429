#include "evaluation/aggregate.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace kasf::eval {
namespace {

double mean_over(const std::array<double, kJoints>& joints, std::span<const int64_t> subset) {
  double sum = 0;
  for (int64_t j : subset) sum += joints[j];
  return sum / static_cast<double>(subset.size());
}

void set_body_parts(MetricValues& v) {
  v.upper_body = mean_over(v.joints, upper_body_joints());
  v.lower_body = mean_over(v.joints, lower_body_joints());
}

}  // namespace

Aggregation parse_aggregation(const std::string& name) {
  if (name == "official") return Aggregation::official;
  if (name == "frames") return Aggregation::frames;
  throw std::invalid_argument("unknown aggregation '" + name + "' (expected official or frames)");
}

const char* aggregation_name(Aggregation aggregation) {
  return aggregation == Aggregation::official ? "official" : "frames";
}

std::string aggregation_description(Aggregation aggregation) {
  return aggregation == Aggregation::official
             ? "official (mean per action, then unweighted mean over actions)"
             : "frame-weighted (mean over all frames)";
}

void MetricAccumulator::add_clip(const std::string& action, const ClipErrors& errors) {
  const size_t frames = errors.mpjpe.size();
  if (errors.p_mpjpe.size() != frames || errors.n_mpjpe.size() != frames || errors.joint_errors.size() != frames * kJoints)
    throw std::invalid_argument("add_clip: per-frame error lists of action '" + action + "' differ in length");
  Sums& s = by_action_[action];
  s.frames += static_cast<int64_t>(frames);
  for (size_t t = 0; t < frames; ++t) {
    s.mpjpe += errors.mpjpe[t];
    s.p_mpjpe += errors.p_mpjpe[t];
    s.n_mpjpe += errors.n_mpjpe[t];
    for (int64_t j = 0; j < kJoints; ++j) s.joints[j] += errors.joint_errors[t * kJoints + j];
  }
  for (double a : errors.acceleration) s.acceleration += a;
  s.acceleration_count += static_cast<int64_t>(errors.acceleration.size());
}

MetricValues MetricAccumulator::means(const Sums& s) {
  const double n = static_cast<double>(s.frames);
  MetricValues v;
  v.mpjpe = s.mpjpe / n;
  v.p_mpjpe = s.p_mpjpe / n;
  v.n_mpjpe = s.n_mpjpe / n;
  v.acceleration = s.acceleration_count > 0 ? s.acceleration / static_cast<double>(s.acceleration_count)
                                            : std::numeric_limits<double>::quiet_NaN();
  for (int64_t j = 0; j < kJoints; ++j) v.joints[j] = s.joints[j] / n;
  set_body_parts(v);
  return v;
}

Summary MetricAccumulator::summary(Aggregation aggregation) const {
  if (by_action_.empty()) throw std::logic_error("no clips were evaluated");
  Summary out;
  out.aggregation = aggregation;
  Sums all;
  for (const auto& [action, sums] : by_action_) {
    if (sums.frames == 0) continue;
    out.actions.push_back({action, sums.frames, means(sums)});
    all.frames += sums.frames;
    all.mpjpe += sums.mpjpe;
    all.p_mpjpe += sums.p_mpjpe;
    all.n_mpjpe += sums.n_mpjpe;
    all.acceleration += sums.acceleration;
    all.acceleration_count += sums.acceleration_count;
    for (int64_t j = 0; j < kJoints; ++j) all.joints[j] += sums.joints[j];
  }
  if (out.actions.empty()) throw std::logic_error("no frames were evaluated");
  out.frames = all.frames;
  if (aggregation == Aggregation::frames) {
    out.overall = means(all);
    return out;
  }
  // Official: each action's means count once.
  MetricValues& o = out.overall;
  const double actions = static_cast<double>(out.actions.size());
  int64_t with_acceleration = 0;
  for (const ActionResult& a : out.actions) {
    o.mpjpe += a.values.mpjpe / actions;
    o.p_mpjpe += a.values.p_mpjpe / actions;
    o.n_mpjpe += a.values.n_mpjpe / actions;
    for (int64_t j = 0; j < kJoints; ++j) o.joints[j] += a.values.joints[j] / actions;
    if (!std::isnan(a.values.acceleration)) {
      o.acceleration += a.values.acceleration;
      ++with_acceleration;
    }
  }
  o.acceleration = with_acceleration > 0 ? o.acceleration / static_cast<double>(with_acceleration)
                                         : std::numeric_limits<double>::quiet_NaN();
  set_body_parts(o);
  return out;
}

}  // namespace kasf::eval
