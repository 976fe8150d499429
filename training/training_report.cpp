#include "training/training_report.h"

#include <cstdio>

#include "evaluation/tables.h"
#include "reporting/html_page.h"
#include "training/training_curves.h"

namespace kasf::training {
namespace {

using nlohmann::ordered_json;

std::string formatted(const char* format, double value) {
  char text[48];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

// One table row per epoch, as the person reading reads them (1-based epochs, rounded values).
ordered_json epoch_rows(const std::vector<EpochRecord>& records) {
  ordered_json rows = ordered_json::array();
  for (const EpochRecord& r : records)
    rows.push_back({{"epoch", r.epoch + 1},
                    {"step", r.step},
                    {"learning rate", formatted("%.3g", r.learning_rate)},
                    {"loss", formatted("%.5f", r.loss_total)},
                    {"validation MPJPE (mm)", formatted("%.2f", r.validation_mpjpe)},
                    {"validation P-MPJPE (mm)", formatted("%.2f", r.validation_p_mpjpe)},
                    {"time (s)", formatted("%.1f", r.seconds)},
                    {"samples/s", formatted("%.1f", r.samples_per_second)}});
  return rows;
}

eval::ModelResult result(const std::string& split, const eval::Summary& summary, const FinalEvaluation& final) {
  return {split, final.parameters, final.clip_length, "", summary};
}

ordered_json table(std::span<const eval::ModelResult> results, eval::TableLayout layout) {
  return ordered_json::parse(eval::render_table(results, layout, eval::TableFormat::json));
}

}  // namespace

void write_training_report(const std::string& path, const TrainingReport& report) {
  ordered_json data;
  data["status"] = report.status;
  data["experiment"] = report.experiment;
  data["best_epoch"] = nullptr;
  for (const EpochRecord& r : report.records)
    if (r.best) {
      data["best_epoch"] = r.epoch + 1;
      data["best_mpjpe"] = r.validation_mpjpe;
    }
  data["curves"] = report.records.empty() ? std::vector<std::string>{} : training_curve_plots(report.records);
  data["epochs"] = epoch_rows(report.records);
  data["final"] = nullptr;
  if (report.final) {
    const eval::ModelResult validation = result("validation", report.final->validation, *report.final);
    const eval::ModelResult test = result("test", report.final->test, *report.final);
    const eval::ModelResult both[] = {validation, test};
    data["final"] = {{"models", table(both, eval::TableLayout::models)},
                     {"actions", {{"validation", table({&validation, 1}, eval::TableLayout::action)},
                                  {"test", table({&test, 1}, eval::TableLayout::action)}}}};
  }
  reporting::write_html_page(path, {reporting::PageKind::training_report, "kasf_train: " + report.name,
                                    std::move(data), report.running ? 30 : 0});
}

}  // namespace kasf::training
