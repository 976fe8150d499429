#include "datasets/image_size.h"

#include <stdexcept>

#include "datasets/split_fields.h"

namespace kasf::data {
namespace {

std::vector<ImageSize> sizes_from_resolution(const SplitData& split, const std::string& split_name) {
  const std::vector<float>& widths = frame_scalars(split, split_name, "res_w");
  const std::vector<float>& heights = frame_scalars(split, split_name, "res_h");
  std::vector<ImageSize> sizes(split.num_frames);
  for (int64_t i = 0; i < split.num_frames; ++i) {
    if (!(widths[i] > 0) || !(heights[i] > 0))
      throw std::invalid_argument(split_name + "/res_w, res_h: frame " + std::to_string(i) + " has image size " +
                                  std::to_string(widths[i]) + " x " + std::to_string(heights[i]));
    sizes[i] = {widths[i], heights[i]};
  }
  return sizes;
}

std::vector<ImageSize> sizes_from_sportspose_camera(const SplitData& split, const std::string& split_name) {
  const StringColumn& cameras = frame_strings(split, split_name, "camera_name");
  std::vector<std::optional<ImageSize>> size_of_value;
  for (const std::string& value : cameras.table) {
    if (value == "outdoors") size_of_value.emplace_back(kSportsPoseOutdoors);
    else if (value == "indoors") size_of_value.emplace_back(kSportsPoseIndoors);
    else size_of_value.emplace_back(std::nullopt);
  }
  std::vector<ImageSize> sizes(split.num_frames);
  for (int64_t i = 0; i < split.num_frames; ++i) {
    const int32_t value = cameras.index[i];
    if (!size_of_value[value])
      throw std::invalid_argument(split_name + "/camera_name: frame " + std::to_string(i) + " has camera '" +
                                  cameras.table[value] +
                                  "', which has no known image size (expected 'outdoors' or 'indoors'; "
                                  "give the size explicitly or add res_w/res_h)");
    sizes[i] = *size_of_value[value];
  }
  return sizes;
}

}  // namespace

std::vector<ImageSize> frame_image_sizes(const SplitData& split, const std::string& split_name,
                                         const std::optional<ImageSize>& explicit_size) {
  if (explicit_size) {
    if (!(explicit_size->width > 0) || !(explicit_size->height > 0))
      throw std::invalid_argument("image size " + std::to_string(explicit_size->width) + " x " +
                                  std::to_string(explicit_size->height) + " is not positive");
    return std::vector<ImageSize>(split.num_frames, *explicit_size);
  }
  // frame_scalars names whichever of the pair is missing.
  if (split.arrays.contains("res_w") || split.arrays.contains("res_h")) return sizes_from_resolution(split, split_name);
  if (split.strings.contains("camera_name")) return sizes_from_sportspose_camera(split, split_name);
  return std::vector<ImageSize>(split.num_frames, kWorldPoseImage);
}

}  // namespace kasf::data
