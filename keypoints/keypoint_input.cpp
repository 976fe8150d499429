#include "keypoints/keypoint_input.h"

#include <stdexcept>

#include "keypoints/coco_json.h"
#include "keypoints/coco_to_h36m.h"
#include "keypoints/gap_filling.h"
#include "keypoints/h36m_tables.h"
#include "keypoints/npy_file.h"

namespace kasf::keypoints {

KeypointFormat parse_keypoint_format(const std::string& name) {
  if (name == "coco-json") return KeypointFormat::coco_json;
  if (name == "ap3d-npy") return KeypointFormat::ap3d_npy;
  if (name == "h36m-csv") return KeypointFormat::h36m_csv;
  if (name == "h36m-h5") return KeypointFormat::h36m_h5;
  throw std::invalid_argument("unknown keypoint format '" + name + "' (expected coco-json, ap3d-npy, h36m-csv or h36m-h5)");
}

bool is_coco_order(KeypointFormat format) { return format == KeypointFormat::coco_json || format == KeypointFormat::ap3d_npy; }

KeypointInput read_keypoints(const std::string& path, KeypointFormat format) {
  KeypointSequence raw;
  switch (format) {
    case KeypointFormat::coco_json: raw = read_coco_json(path); break;
    case KeypointFormat::ap3d_npy: {
      NpyArray array = read_npy(path);
      raw = from_array(array.values, array.shape, path);
      break;
    }
    case KeypointFormat::h36m_csv: raw = read_h36m_csv(path); break;
    case KeypointFormat::h36m_h5: raw = read_h36m_h5(path); break;
  }
  KeypointInput input;
  input.filled = fill_missing_keypoints(raw, path);
  input.h36m = is_coco_order(format) ? coco_to_h36m(raw) : std::move(raw);
  return input;
}

std::vector<float> model_input(const KeypointSequence& h36m, data::ImageSize image) {
  std::vector<float> values = h36m.values;
  for (size_t i = 0; i < values.size(); i += 3) {
    values[i] = data::normalize_x(values[i], image);
    values[i + 1] = data::normalize_y(values[i + 1], image);
  }
  return values;
}

}  // namespace kasf::keypoints
