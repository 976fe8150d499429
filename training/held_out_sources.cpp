#include "training/held_out_sources.h"

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>
#include <stdexcept>

#include "datasets/split_fields.h"
#include "framework/random.h"

namespace kasf::training {
namespace {

// Per entry of the split's source table: whether its group is one of `groups`.
std::vector<bool> table_in_groups(const data::StringColumn& sources, const std::vector<std::string>& groups,
                                  const std::string& group_regex) {
  std::vector<bool> in(sources.table.size());
  for (size_t i = 0; i < sources.table.size(); ++i)
    in[i] = std::binary_search(groups.begin(), groups.end(), source_group(sources.table[i], group_regex));
  return in;
}

}  // namespace

std::string source_group(const std::string& source, const std::string& group_regex) {
  if (group_regex.empty()) return source;
  std::smatch match;
  if (std::regex_match(source, match, std::regex(group_regex)) && match.size() > 1) return match[1].str();
  return source;
}

std::vector<std::string> pick_held_out_groups(const data::SplitData& split, const std::string& split_name,
                                              double fraction, const std::string& group_regex, uint64_t seed) {
  const data::StringColumn& sources = data::frame_strings(split, split_name, "source");
  std::set<std::string> distinct;
  for (const std::string& source : sources.table) distinct.insert(source_group(source, group_regex));
  std::vector<std::string> groups(distinct.begin(), distinct.end());
  const int64_t n = static_cast<int64_t>(groups.size());
  if (n < 2)
    throw std::invalid_argument("split '" + split_name + "' has " + std::to_string(n) +
                                " source group(s); holding some out for validation needs at least two");
  // Fisher-Yates over the sorted names, so the choice depends only on the seed and the names.
  Generator generator(seed);
  for (int64_t i = n - 1; i > 0; --i) std::swap(groups[i], groups[generator.below(i + 1)]);
  const int64_t count = std::clamp<int64_t>(std::llround(fraction * n), 1, n - 1);
  groups.resize(count);
  std::sort(groups.begin(), groups.end());
  return groups;
}

data::SplitData select_sources(const data::SplitData& split, const std::vector<std::string>& groups,
                               const std::string& group_regex, bool held_out) {
  const data::StringColumn& sources = split.strings.at("source");
  const std::vector<bool> in = table_in_groups(sources, groups, group_regex);
  std::vector<int64_t> frames;
  for (int64_t f = 0; f < split.num_frames; ++f)
    if (in[sources.index[f]] == held_out) frames.push_back(f);

  data::SplitData out;
  out.num_frames = static_cast<int64_t>(frames.size());
  out.clip_length = split.clip_length;
  for (const auto& [key, array] : split.arrays) {
    const int64_t row = split.num_frames == 0 ? 0 : static_cast<int64_t>(array.values.size()) / split.num_frames;
    data::FloatArray& selected = out.arrays[key];
    selected.shape = array.shape;
    selected.shape[0] = out.num_frames;
    selected.values.reserve(frames.size() * row);
    for (int64_t f : frames)
      selected.values.insert(selected.values.end(), array.values.begin() + f * row, array.values.begin() + (f + 1) * row);
  }
  for (const auto& [key, column] : split.strings) {
    data::StringColumn& selected = out.strings[key];
    selected.table = column.table;
    selected.index.reserve(frames.size());
    for (int64_t f : frames) selected.index.push_back(column.index[f]);
  }
  return out;
}

}  // namespace kasf::training
