// Reading back the 3D pose files kasf_infer writes (pose_output.h): .json and .h5 (kasf_view).
#pragma once
#include <string>

#include "keypoints/pose_output.h"

namespace kasf::keypoints {

// Throws kasf::io::FormatError naming the file and the key, dataset or attribute at fault (wrong
// shape, non-numbers, unknown units); std::invalid_argument for another extension.
PoseOutput read_poses(const std::string& path);

}  // namespace kasf::keypoints
