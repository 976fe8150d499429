// Accumulation of per-frame errors by action and the two ways of averaging them (spec 7 step 5).
//
// official: the mean of each action's frame values, then the unweighted mean over actions (what
//           the paper reports); per-joint values the same way, joint by joint.
// frames:   the mean over all frame values, i.e. actions weighted by their frame counts.
// Frames of resampled clips that repeat a source frame count every time they occur, as in the
// official code. Actions are reported in sorted order.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "evaluation/metrics.h"

namespace kasf::eval {

enum class Aggregation { official, frames };

// "official" or "frames"; throws std::invalid_argument naming anything else.
Aggregation parse_aggregation(const std::string& name);
const char* aggregation_name(Aggregation aggregation);
// One line for table captions, e.g. "official (mean per action, then unweighted mean over actions)".
std::string aggregation_description(Aggregation aggregation);

struct MetricValues {
  double mpjpe = 0;
  double p_mpjpe = 0;
  double n_mpjpe = 0;
  double acceleration = 0;  // NaN when no clip had 3 frames
  std::array<double, kJoints> joints{};
  double upper_body = 0;  // mean of joints 7..16
  double lower_body = 0;  // mean of joints 1..6
};

struct ActionResult {
  std::string action;
  int64_t frames = 0;
  MetricValues values;
};

struct Summary {
  Aggregation aggregation = Aggregation::official;
  int64_t frames = 0;
  std::vector<ActionResult> actions;  // sorted by name
  MetricValues overall;
};

class MetricAccumulator {
 public:
  void add_clip(const std::string& action, const ClipErrors& errors);
  // Throws std::logic_error when nothing was added.
  Summary summary(Aggregation aggregation) const;

 private:
  struct Sums {
    int64_t frames = 0;
    int64_t acceleration_count = 0;
    double mpjpe = 0, p_mpjpe = 0, n_mpjpe = 0, acceleration = 0;
    std::array<double, kJoints> joints{};
  };
  static MetricValues means(const Sums& sums);
  std::map<std::string, Sums> by_action_;
};

}  // namespace kasf::eval
