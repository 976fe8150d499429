// The training curves of a run as SVG plots with round ticks: the loss terms (log scale), the
// validation errors and the learning rate (log scale) per epoch, the best epoch marked. They make
// training_curves.svg beside the checkpoints and the curves of report.html.
#pragma once
#include <string>
#include <vector>

#include "training/metrics_log.h"

namespace kasf::training {

// One SVG per panel.
std::vector<std::string> training_curve_plots(const std::vector<EpochRecord>& records);
// The panels stacked in one SVG file, written atomically.
void write_training_curves(const std::string& path, const std::vector<EpochRecord>& records);

}  // namespace kasf::training
