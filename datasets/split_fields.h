// Checked access to the per-frame fields of a split: each lookup verifies that the key exists and has
// one row per frame of the expected shape, and throws naming the split, key and shape otherwise.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "datasets/dataset_file.h"

namespace kasf::data {

// The shape rules of the accessors below alone, for arrays not converted yet (kasf_convert validates
// a split before it converts and writes its arrays one by one). `where` names the array in messages.
void check_joint_array_shape(const Shape& shape, int64_t num_frames, const std::string& where, int64_t min_channels);
void check_joint_scalars_shape(const Shape& shape, int64_t num_frames, const std::string& where);
void check_frame_scalars_shape(const Shape& shape, int64_t num_frames, const std::string& where);

// The value rules of a split's array `key` (numel(shape) float32s at any alignment): every value is
// finite, and the 2.5D factors (`2.5d_factor`, which scale normalised poses back to millimetres) are
// positive. Throws io::FormatError naming `where`, the key and the first bad frame.
void check_array_values(const std::string& where, const std::string& key, const Shape& shape,
                        std::string_view float32s);

// (N, 17, C) with C >= min_channels.
const FloatArray& joint_array(const SplitData& split, const std::string& split_name, const std::string& key,
                              int64_t min_channels);
// (N, 17) or (N, 17, 1): one value per joint.
const std::vector<float>& joint_scalars(const SplitData& split, const std::string& split_name, const std::string& key);
// (N) or (N, 1): one value per frame.
const std::vector<float>& frame_scalars(const SplitData& split, const std::string& split_name, const std::string& key);
// One in-range table index per frame.
const StringColumn& frame_strings(const SplitData& split, const std::string& split_name, const std::string& key);

}  // namespace kasf::data
