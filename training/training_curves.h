// The training curves of a run as a PNG (training_curves.png beside the checkpoints): the loss terms,
// the validation errors and the learning rate per epoch.
#pragma once
#include <string>
#include <vector>

#include "training/metrics_log.h"

namespace kasf::training {

void write_training_curves(const std::string& path, const std::vector<EpochRecord>& records);

}  // namespace kasf::training
