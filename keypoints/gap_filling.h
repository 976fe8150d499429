// Missing keypoints: a keypoint is missing when x, y or its confidence is not finite, or its
// confidence is <= 0 (COCO's "not labelled" convention writes x = y = 0 with visibility 0).
// Missing keypoints get confidence 0 and a position interpolated linearly in time between the
// joint's nearest valid frames before and after; before the first or after the last valid frame
// the nearest valid position is repeated.
#pragma once
#include <cstdint>
#include <string>

#include "keypoints/keypoint_sequence.h"

namespace kasf::keypoints {

bool is_missing(const float* keypoint);

// Fills in place and returns how many keypoints were missing. Throws std::invalid_argument naming
// `source` and the joint when a joint is missing in every frame (nothing to interpolate from).
int64_t fill_missing_keypoints(KeypointSequence& sequence, const std::string& source);

}  // namespace kasf::keypoints
