#include "training/training_curves.h"

#include <functional>

#include "reporting/line_plot.h"
#include "reporting/png_writer.h"

namespace kasf::training {
namespace {

using reporting::Color;
using reporting::Image;
using reporting::Panel;
using reporting::Series;

constexpr int kWidth = 900, kPanelHeight = 280;
constexpr Color kBlue{31, 119, 180}, kOrange{255, 127, 14}, kGreen{44, 160, 44}, kRed{214, 39, 40},
    kPurple{148, 103, 189};

std::vector<double> column(const std::vector<EpochRecord>& records, const std::function<double(const EpochRecord&)>& get) {
  std::vector<double> values;
  for (const EpochRecord& r : records) values.push_back(get(r));
  return values;
}

}  // namespace

void write_training_curves(const std::string& path, const std::vector<EpochRecord>& records) {
  const std::vector<double> epochs = column(records, [](const EpochRecord& r) { return r.epoch + 1.0; });
  const std::vector<Panel> panels = {
      {"training loss (normalised units) per epoch",
       {{"total", kRed, column(records, [](const EpochRecord& r) { return r.loss_total; })},
        {"mpjpe", kBlue, column(records, [](const EpochRecord& r) { return r.loss_mpjpe; })},
        {"n-mpjpe", kOrange, column(records, [](const EpochRecord& r) { return r.loss_n_mpjpe; })},
        {"velocity", kGreen, column(records, [](const EpochRecord& r) { return r.loss_velocity; })}},
       true},
      {"validation error (mm) per epoch",
       {{"MPJPE", kBlue, column(records, [](const EpochRecord& r) { return r.validation_mpjpe; })},
        {"P-MPJPE", kOrange, column(records, [](const EpochRecord& r) { return r.validation_p_mpjpe; })}},
       false},
      {"learning rate per epoch",
       {{"lr", kPurple, column(records, [](const EpochRecord& r) { return r.learning_rate; })}},
       true},
  };
  Image image(kWidth, kPanelHeight * static_cast<int>(panels.size()), {255, 255, 255});
  for (size_t i = 0; i < panels.size(); ++i) {
    const int top = static_cast<int>(i) * kPanelHeight;
    reporting::draw_panel(image, {10, top + 10, kWidth - 10, top + kPanelHeight - 10}, epochs, panels[i]);
  }
  reporting::write_png(path, image);
}

}  // namespace kasf::training
