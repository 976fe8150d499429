// Synthetic splits for the datasets tests: every per-frame value is a simple formula of the frame
// and joint, so tests can state what a clip must contain without running the code under test.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "datasets/dataset_file.h"

namespace kasf::data::testing {

inline float pixel_x(int64_t f, int64_t j) { return 3.0f * f + 7.0f * j + 11.0f; }
inline float pixel_y(int64_t f, int64_t j) { return 2.0f * f + 5.0f * j + 13.0f; }
inline float depth(int64_t f, int64_t j) { return 0.25f * f - 4.0f * j + 30.0f; }  // joint3d_image's z
inline float confidence(int64_t f, int64_t j) { return 0.01f * ((f + j) % 100); }
// joint3d_image's x, y are the 2D pixels shifted by a quarter pixel, so the two sources differ.
inline float image_x(int64_t f, int64_t j) { return pixel_x(f, j) + 0.25f; }
inline float image_y(int64_t f, int64_t j) { return pixel_y(f, j) - 0.25f; }
inline float factor(int64_t f) { return 0.5f + 0.01f * f; }
inline float scaled(int64_t f, int64_t j, int64_t c) { return 1000.0f * f + 10.0f * j + c; }  // joints_2.5d_image

struct SplitSpec {
  std::vector<int64_t> video_lengths{};
  bool confidence = true;
  bool evaluation_fields = true;               // joints_2.5d_image, 2.5d_factor, action
  std::vector<std::string> cameras{};                 // camera_name per video; none when empty
  std::vector<std::pair<float, float>> resolutions{};  // res_w, res_h per video; none when empty
};

// Video v is source "video<v>" with action "action<v % 2>".
SplitData make_split(const SplitSpec& spec);

}  // namespace kasf::data::testing
