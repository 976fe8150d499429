// Moving a module's state dict to and from weight files (framework/io/weight_file.h).
#pragma once
#include "framework/io/weight_file.h"
#include "layers/module.h"

namespace kasf {

// Copies every state-dict entry of `module` from `file`. Keys may carry the "module." prefix of a
// checkpoint saved from torch.nn.DataParallel. Entries whose shape differs are always an error; in
// strict mode missing and unexpected keys are too. All problems are reported, by key, in one
// std::invalid_argument naming `source` (the file).
void load_state_dict(Module& module, const io::WeightFile& file, bool strict, const std::string& source);

// The module's state dict as host arrays, in state-dict order (no attributes).
io::WeightFile to_weight_file(const Module& module);

}  // namespace kasf
