// Reading a keypoint file of any supported format into the H36M-17 sequence the model takes:
// the format's reader, COCO -> H36M conversion for COCO formats (gaps are filled in COCO space
// first, so every H36M joint is built from complete keypoints), then gap filling.
#pragma once
#include <cstdint>
#include <string>

#include "datasets/normalize.h"
#include "keypoints/keypoint_sequence.h"

namespace kasf::keypoints {

enum class KeypointFormat { coco_json, ap3d_npy, h36m_csv, h36m_h5 };

// "coco-json" | "ap3d-npy" | "h36m-csv" | "h36m-h5"; throws std::invalid_argument for others.
KeypointFormat parse_keypoint_format(const std::string& name);
bool is_coco_order(KeypointFormat format);

struct KeypointInput {
  KeypointSequence h36m;  // (frames, 17, 3): x px, y px, confidence
  int64_t filled = 0;     // keypoints that were missing (before conversion) and interpolated
};

KeypointInput read_keypoints(const std::string& path, KeypointFormat format);

// The model's input: x and y normalised with the video's image size (spec 6.2), confidence kept;
// (frames, 17, 3) values.
std::vector<float> model_input(const KeypointSequence& h36m, data::ImageSize image);

}  // namespace kasf::keypoints
