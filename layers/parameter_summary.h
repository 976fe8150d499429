// A human-readable breakdown of a module's parameters (kasf_infer --summary).
#pragma once
#include <string>

#include "layers/module.h"

namespace kasf {

// One row per parameter held directly by `root` and per module down to `depth` levels below it
// (tensor count, scalar count); ends with the lines "parameter tensors: N" and "parameters: N".
std::string parameter_summary(const Module& root, int depth = 2);

}  // namespace kasf
