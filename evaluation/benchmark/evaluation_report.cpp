#include "evaluation/benchmark/evaluation_report.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "evaluation/benchmark/scoring.h"
#include "evaluation/metrics.h"
#include "reporting/html_page.h"
#include "reporting/page_data.h"

namespace kasf::eval {
namespace {

using nlohmann::ordered_json;

double extent_of(const Poses& poses) { return reporting::largest_magnitude(poses.xyz); }

ordered_json poses_json(const Poses& poses, double extent) {
  return reporting::point_frames(poses.xyz.data(), poses.frames, kJoints, 3, reporting::rounding_step(extent));
}

ordered_json table(std::span<const ModelResult> results, TableLayout layout) {
  return ordered_json::parse(render_table(results, layout, TableFormat::json));
}

// The `count` clips with the highest MPJPE (ties: the earlier clip first), truth and prediction in mm.
ordered_json worst_clips(const EvaluatedModel& model, int count) {
  const TestClips& clips = *model.clips;
  std::vector<double> mpjpe;
  for (int64_t c = 0; c < clips.size(); ++c) {
    const ClipErrors errors = evaluate_clip(predicted_mm(*model.predictions, clips, c), clips.truth(c).truth_mm);
    mpjpe.push_back(std::accumulate(errors.mpjpe.begin(), errors.mpjpe.end(), 0.0) / errors.mpjpe.size());
  }
  std::vector<int64_t> order(mpjpe.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return mpjpe[a] > mpjpe[b]; });
  ordered_json worst = ordered_json::array();
  for (size_t i = 0; i < order.size() && i < static_cast<size_t>(count); ++i) {
    const int64_t c = order[i];
    const Poses& truth = clips.truth(c).truth_mm;
    const Poses prediction = predicted_mm(*model.predictions, clips, c);
    const double extent = std::max(extent_of(truth), extent_of(prediction));
    worst.push_back({{"clip", c},
                     {"action", clips.truth(c).action},
                     {"mpjpe", mpjpe[c]},
                     {"extent", extent},
                     {"truth", poses_json(truth, extent)},
                     {"prediction", poses_json(prediction, extent)}});
  }
  return worst;
}

}  // namespace

void write_evaluation_report(const std::string& path, std::span<const EvaluatedModel> models,
                             const EvaluationReportOptions& options) {
  if (models.empty()) throw std::invalid_argument("evaluation report: no models");
  std::vector<ModelResult> results;
  for (const EvaluatedModel& m : models) results.push_back(*m.result);
  ordered_json data;
  data["description"] = "Test split of " + options.data_path + "; errors in mm, " +
                        aggregation_description(results.front().summary.aggregation) + ".";
  data["fps"] = options.fps > 0 ? ordered_json(options.fps) : ordered_json(nullptr);
  data["tables"] = {{"models", table(results, TableLayout::models)},
                    {"action", nullptr},
                    {"joint", table(results, TableLayout::joint)}};
  try {
    data["tables"]["action"] = table(results, TableLayout::action);
  } catch (const std::invalid_argument&) {
    // Models of different clip lengths can cover different actions: no common table then.
  }
  data["models"] = ordered_json::array();
  for (const ModelResult& r : results)
    data["models"].push_back({{"name", r.name}, {"joint_errors", r.summary.overall.joints}});
  // The skeleton the per-joint errors colour: the middle frame of the first clip's ground truth.
  const Poses& shown = models.front().clips->truth(0).truth_mm;
  const int64_t middle = shown.frames / 2;
  const Poses display{1, std::vector<float>(shown.joint(middle, 0), shown.joint(middle, 0) + kJoints * 3)};
  data["display_extent"] = extent_of(display);
  data["display_pose"] = poses_json(display, extent_of(display))[0];
  data["worst_clips"] = worst_clips(models.front(), options.worst_clips);
  reporting::write_html_page(path, {reporting::PageKind::evaluation_report, "kasf_eval: " + options.data_path,
                                    std::move(data)});
}

}  // namespace kasf::eval
