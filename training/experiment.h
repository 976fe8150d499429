// Experiment definitions: parsing (protobuf text format), validation, and the fully defaulted form
// that --print-config shows and checkpoints record.
#pragma once
#include <string>

#include "models/model_config.pb.h"
#include "training/experiment.pb.h"

namespace kasf::training {

// Parses and validates; syntax errors, unknown fields and invalid values throw models::ConfigError
// naming `source` (the file) and the field. The result is complete (see complete()).
Experiment parse_experiment(const std::string& text, const std::string& source);
Experiment read_experiment(const std::string& path);

// Sets every field that has a default, recursively, and the derived defaults (strides, the model
// read from model_file), so that the definition states every value a run uses.
void complete(Experiment& experiment);

// Throws models::ConfigError naming `source` and the first invalid field (dotted path).
void validate(const Experiment& experiment, const std::string& source);

std::string to_text(const Experiment& experiment);

}  // namespace kasf::training
