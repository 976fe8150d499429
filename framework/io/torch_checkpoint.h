// PyTorch checkpoints (torch.save's zip format) read without PyTorch: the pickled object tree with
// tensors rebuilt from their storages, and the model state dict found in it.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "framework/io/weight_file.h"

namespace kasf::io {

// The state dict of the checkpoint at `path`, every tensor converted to float32 (C order), in the
// pickled order, with a leading "module." (DataParallel) removed from the keys.
// `state_dict_key` picks the entry of a top-level dict that holds it ({'model': ..., 'epoch': ...});
// when empty, the root is used if it is a dict of tensors, else the one top-level entry that is
// (preferring "model" and "state_dict" when several are).
std::vector<std::pair<std::string, HostArray>> read_torch_state_dict(const std::string& path,
                                                                     const std::string& state_dict_key = "");

}  // namespace kasf::io
