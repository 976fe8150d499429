#include "training/training_curves.h"

#include <fstream>
#include <functional>
#include <stdexcept>

#include "framework/io/atomic_file.h"
#include "reporting/svg_plot.h"

namespace kasf::training {
namespace {

using reporting::PlotPanel;
using reporting::PlotSeries;

constexpr int kWidth = 760, kPanelHeight = 280;
constexpr const char *kBlue = "#1f77b4", *kOrange = "#ff7f0e", *kGreen = "#2ca02c", *kRed = "#d62728",
                     *kPurple = "#9467bd";

std::vector<double> column(const std::vector<EpochRecord>& records, const std::function<double(const EpochRecord&)>& get) {
  std::vector<double> values;
  for (const EpochRecord& r : records) values.push_back(get(r));
  return values;
}

}  // namespace

std::vector<std::string> training_curve_plots(const std::vector<EpochRecord>& records) {
  const std::vector<double> epochs = column(records, [](const EpochRecord& r) { return r.epoch + 1.0; });
  std::vector<PlotPanel> panels = {
      {"Training loss", "epoch", "loss (normalised units)",
       {{"total", kRed, column(records, [](const EpochRecord& r) { return r.loss_total; })},
        {"mpjpe", kBlue, column(records, [](const EpochRecord& r) { return r.loss_mpjpe; })},
        {"n-mpjpe", kOrange, column(records, [](const EpochRecord& r) { return r.loss_n_mpjpe; })},
        {"velocity", kGreen, column(records, [](const EpochRecord& r) { return r.loss_velocity; })}},
       true},
      {"Validation error", "epoch", "error (mm)",
       {{"MPJPE", kBlue, column(records, [](const EpochRecord& r) { return r.validation_mpjpe; })},
        {"P-MPJPE", kOrange, column(records, [](const EpochRecord& r) { return r.validation_p_mpjpe; })}}},
      {"Learning rate", "epoch", "learning rate",
       {{"lr", kPurple, column(records, [](const EpochRecord& r) { return r.learning_rate; })}},
       true},
  };
  // The best epoch is the last one marked best (the lowest validation MPJPE so far).
  for (const EpochRecord& r : records)
    if (r.best)
      for (PlotPanel& panel : panels) {
        panel.marked_x = r.epoch + 1.0;
        panel.marked_label = "best: epoch " + std::to_string(r.epoch + 1);
      }
  std::vector<std::string> plots;
  for (PlotPanel& panel : panels) {
    panel.width = kWidth;
    panel.height = kPanelHeight;
    plots.push_back(reporting::svg_plot(epochs, panel));
  }
  return plots;
}

void write_training_curves(const std::string& path, const std::vector<EpochRecord>& records) {
  const std::vector<std::string> plots = training_curve_plots(records);
  io::AtomicFile file(path, io::AtomicFile::Durability::RenameOnly);
  {
    std::ofstream out(file.temp_path());
    out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\""
        << kPanelHeight * plots.size() << "\">\n";
    for (size_t i = 0; i < plots.size(); ++i)
      out << "<g transform=\"translate(0 " << kPanelHeight * i << ")\">\n" << plots[i] << "</g>\n";
    out << "</svg>\n";
    if (!out.flush()) throw std::runtime_error("cannot write '" + file.temp_path() + "'");
  }
  file.commit();
}

}  // namespace kasf::training
