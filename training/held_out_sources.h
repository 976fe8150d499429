// The default validation set: a seeded fraction of the training split's sources, kept out of
// training, so the test split plays no part in model selection.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "datasets/dataset_file.h"

namespace kasf::training {

// The group of a source name: the first capture group of `group_regex` when it matches the whole
// name (e.g. "(.*)_virtual[0-9]+" puts the cameras of one recording together), else the name.
std::string source_group(const std::string& source, const std::string& group_regex);

// Picks round(fraction * groups) groups (at least one, at most all but one) of the split's
// `source` column with a seeded shuffle; returns the held-out group names, sorted. Throws naming
// `split_name` when the split has no `source` column or fewer than two groups.
std::vector<std::string> pick_held_out_groups(const data::SplitData& split, const std::string& split_name,
                                              double fraction, const std::string& group_regex, uint64_t seed);

// The frames of `split` whose source is (held_out = true) or is not (false) in one of `groups`,
// in their original order, with every per-frame array and string column.
data::SplitData select_sources(const data::SplitData& split, const std::vector<std::string>& groups,
                               const std::string& group_regex, bool held_out);

}  // namespace kasf::training
