#include "evaluation/benchmark/kinematic_report.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "evaluation/kinematics/agreement.h"
#include "evaluation/kinematics/curve_normalisation.h"
#include "evaluation/kinematics/joint_angles.h"
#include "evaluation/kinematics/joint_speeds.h"
#include "evaluation/kinematics/zero_phase_filter.h"

namespace kasf::eval {
namespace {

constexpr int kCurvePoints = 101;
constexpr int64_t kMinFrames = 3;
constexpr std::array<int64_t, 6> kLegJoints{1, 2, 3, 4, 5, 6};
constexpr std::array<int64_t, 6> kArmJoints{11, 12, 13, 14, 15, 16};

// Estimated and reference series of one quantity, one pair per sequence (and joint).
struct PairedSeries {
  std::vector<std::vector<double>> estimate, reference;

  void add(std::vector<double> e, std::vector<double> r) {
    estimate.push_back(std::move(e));
    reference.push_back(std::move(r));
  }
  void add_all(const PairedSeries& other) {
    estimate.insert(estimate.end(), other.estimate.begin(), other.estimate.end());
    reference.insert(reference.end(), other.reference.begin(), other.reference.end());
  }
};

std::vector<double> flatten(const std::vector<std::vector<double>>& series) {
  std::vector<double> values;
  for (const auto& s : series) values.insert(values.end(), s.begin(), s.end());
  return values;
}

double pooled_rmse(const PairedSeries& pairs) {
  return pairs.estimate.empty() ? NAN : rmse(flatten(pairs.estimate), flatten(pairs.reference));
}

// The filtered angle, or nothing when a segment has zero length in every frame.
std::optional<std::vector<double>> filtered_angle(const Poses& poses, const AngleDefinition& angle, double fps) {
  const std::vector<double> raw = joint_angle_series(poses, angle);
  for (double value : raw)
    if (!std::isnan(value)) return lowpass_8hz(forward_fill(raw), fps);
  return std::nullopt;
}

struct AngleSeries {
  PairedSeries angle, velocity;
};

struct Analysis {
  std::vector<AngleSeries> angles = std::vector<AngleSeries>(joint_angle_definitions().size());
  PairedSeries legs, arms;
};

struct ActionTotals {
  int64_t sequences = 0, frames = 0;
  PairedSeries angles, velocities, speeds;
};

void add_sequence(const KinematicSequence& sequence, double fps, Analysis& analysis) {
  const auto definitions = joint_angle_definitions();
  for (size_t a = 0; a < definitions.size(); ++a) {
    auto estimate = filtered_angle(sequence.predicted_mm, definitions[a], fps);
    auto reference = filtered_angle(sequence.truth_mm, definitions[a], fps);
    if (!estimate || !reference) continue;
    analysis.angles[a].velocity.add(time_derivative(*estimate, fps), time_derivative(*reference, fps));
    analysis.angles[a].angle.add(std::move(*estimate), std::move(*reference));
  }
  for (auto [joints, group] : {std::pair{&kLegJoints, &analysis.legs}, std::pair{&kArmJoints, &analysis.arms}})
    for (int64_t joint : *joints)
      group->add(lowpass_8hz(joint_speed_series(sequence.predicted_mm, joint, fps), fps),
                 lowpass_8hz(joint_speed_series(sequence.truth_mm, joint, fps), fps));
}

Curves shape_curves(const std::vector<std::vector<double>>& series) {
  Curves curves{static_cast<int64_t>(series.size()), kCurvePoints, {}};
  for (const auto& s : series) {
    const std::vector<double> curve = time_normalise(min_max_normalise(s), kCurvePoints);
    curves.values.insert(curves.values.end(), curve.begin(), curve.end());
  }
  return curves;
}

std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string clusters_text(const SpmResult& result) {
  if (result.clusters.empty()) return "none";
  std::string text;
  const double to_percent = 100.0 / (kCurvePoints - 1);
  for (const SpmCluster& cluster : result.clusters) {
    if (!text.empty()) text += "; ";
    text += fixed(cluster.start * to_percent, 1) + "-" + fixed(cluster.end * to_percent, 1) + " % (t " +
            fixed(cluster.peak_t, 2) + ")";
  }
  return text;
}

// "| r | curves | threshold | clusters |" of the shape comparison.
std::string shape_columns(const PairedSeries& pairs, const SpmOptions& spm) {
  const Curves estimate = shape_curves(pairs.estimate), reference = shape_curves(pairs.reference);
  std::string text = " " + fixed(pearson_r(estimate.values, reference.values), 3) + " | " +
                     std::to_string(estimate.count) + " | ";
  if (estimate.count < 2) return text + "n/a | needs 2 curves |";
  const SpmResult result = spm_paired_ttest(estimate, reference, spm);
  return text + fixed(result.threshold, 2) + " | " + clusters_text(result) + " |";
}

std::string angle_label(const std::string& name) {
  std::string label = name;
  for (char& c : label)
    if (c == '_') c = ' ';
  return label + " angle";
}

}  // namespace

// The angles of both sides pooled, as the original pools its arm (elbow) and leg (knee) angles.
PairedSeries pooled_angles(const Analysis& analysis, const std::vector<std::string>& names) {
  PairedSeries pooled;
  const auto definitions = joint_angle_definitions();
  for (size_t a = 0; a < definitions.size(); ++a)
    for (const std::string& name : names)
      if (definitions[a].name == name) pooled.add_all(analysis.angles[a].angle);
  return pooled;
}

std::string kinematic_report(const std::string& name, const std::vector<KinematicSequence>& sequences,
                             const KinematicOptions& options) {
  Analysis analysis;
  std::map<std::string, ActionTotals> actions;
  int64_t used = 0, frames = 0;
  double lowest_fps = INFINITY, highest_fps = 0;
  for (const KinematicSequence& sequence : sequences) {
    if (sequence.truth_mm.frames < kMinFrames) continue;
    const double fps = sequence.fps > 0 ? sequence.fps : options.fps;
    if (!(fps > 16))
      throw std::invalid_argument("kinematic validation: a sequence of '" + sequence.action + "' has " +
                                  (fps > 0 ? fixed(fps, 2) + " fps, too low for the 8 Hz filter (needs more than 16)"
                                           : std::string("no frame rate: --kinematics needs --fps, or fps in the data")));
    lowest_fps = std::min(lowest_fps, fps);
    highest_fps = std::max(highest_fps, fps);
    ActionTotals& action = actions[sequence.action];
    Analysis single;
    add_sequence(sequence, fps, single);
    for (size_t a = 0; a < single.angles.size(); ++a) {
      analysis.angles[a].angle.add_all(single.angles[a].angle);
      analysis.angles[a].velocity.add_all(single.angles[a].velocity);
      action.angles.add_all(single.angles[a].angle);
      action.velocities.add_all(single.angles[a].velocity);
    }
    analysis.legs.add_all(single.legs);
    analysis.arms.add_all(single.arms);
    action.speeds.add_all(single.legs);
    action.speeds.add_all(single.arms);
    ++action.sequences;
    action.frames += sequence.truth_mm.frames;
    ++used;
    frames += sequence.truth_mm.frames;
  }
  if (used == 0)
    throw std::invalid_argument("kinematic validation: no test sequence of at least " + std::to_string(kMinFrames) +
                                " frames (only window clips are joined into sequences)");

  std::ostringstream out;
  out << "### Kinematic validation: " << name << " against the ground truth\n\n"
      << used << " sequences, " << frames << " frames, "
      << (lowest_fps == highest_fps ? fixed(lowest_fps, 2) : fixed(lowest_fps, 2) + "-" + fixed(highest_fps, 2))
      << " fps; angles and speeds low-passed at 8 Hz (zero-phase 4th-order Butterworth). RMSE on the filtered "
         "values; r and the SPM paired t-test (estimate - truth, two-tailed, alpha "
      << fixed(options.spm.alpha, 2) << ", threshold t* by "
      << (options.spm.inference == SpmInference::random_field ? "random field theory" : "permutation")
      << ") on min-max and time-normalised curves of " << kCurvePoints << " points; clusters in % of the movement.\n\n"
      << "| series | RMSE | angular velocity RMSE (deg/s) | r | curves | t* | clusters |\n"
      << "|---|---|---|---|---|---|---|\n";
  const auto definitions = joint_angle_definitions();
  for (size_t a = 0; a < definitions.size(); ++a) {
    const AngleSeries& series = analysis.angles[a];
    if (series.angle.estimate.empty()) continue;
    out << "| " << angle_label(definitions[a].name) << " | " << fixed(pooled_rmse(series.angle), 1) << " deg | "
        << fixed(pooled_rmse(series.velocity), 1) << " |" << shape_columns(series.angle, options.spm) << "\n";
  }
  for (auto [label, group] : {std::pair{"legs speed (joints 1-6)", &analysis.legs},
                              std::pair{"arms speed (joints 11-16)", &analysis.arms}})
    out << "| " << label << " | " << fixed(pooled_rmse(*group), 1) << " mm/s | - |" << shape_columns(*group, options.spm)
        << "\n";
  for (auto [label, sides] : {std::pair{"arms angle (elbows)", std::vector<std::string>{"left_elbow", "right_elbow"}},
                              std::pair{"legs angle (knees)", std::vector<std::string>{"left_knee", "right_knee"}}}) {
    const PairedSeries pooled = pooled_angles(analysis, sides);
    if (!pooled.estimate.empty())
      out << "| " << label << " | " << fixed(pooled_rmse(pooled), 1) << " deg | - |"
          << shape_columns(pooled, options.spm) << "\n";
  }

  out << "\n| action | sequences | frames | angle RMSE (deg) | angular velocity RMSE (deg/s) | speed RMSE (mm/s) |\n"
      << "|---|---|---|---|---|---|\n";
  for (const auto& [action, totals] : actions)
    out << "| " << action << " | " << totals.sequences << " | " << totals.frames << " | "
        << fixed(pooled_rmse(totals.angles), 1) << " | " << fixed(pooled_rmse(totals.velocities), 1) << " | "
        << fixed(pooled_rmse(totals.speeds), 1) << " |\n";
  return out.str();
}

}  // namespace kasf::eval
