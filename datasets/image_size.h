// The image size of every frame of a split, which the normalisation divides by (spec 6.2).
#pragma once
#include <optional>
#include <vector>

#include "datasets/dataset_file.h"
#include "datasets/normalize.h"

namespace kasf::data {

// SportsPose's reader hard-codes the size per `camera_name`; WorldPose's reader uses 1920x1080.
inline constexpr ImageSize kSportsPoseOutdoors{1312, 1216};
inline constexpr ImageSize kSportsPoseIndoors{1216, 1936};
inline constexpr ImageSize kWorldPoseImage{1920, 1080};

// Per frame, the first that applies: `explicit_size`; the split's `res_w`/`res_h` arrays; its
// `camera_name` strings ('outdoors' or 'indoors', any other value throws naming it and the frame);
// the WorldPose size. `split_name` only labels error messages.
std::vector<ImageSize> frame_image_sizes(const SplitData& split, const std::string& split_name,
                                         const std::optional<ImageSize>& explicit_size);

}  // namespace kasf::data
