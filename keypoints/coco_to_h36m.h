// COCO-17 detector keypoints to the H36M-17 skeleton the model takes (spec 9 step 2, the official
// demo's coco_h36m, including its spine step with factor 2), confidences carried along.
#pragma once
#include "keypoints/keypoint_sequence.h"

namespace kasf::keypoints {

KeypointSequence coco_to_h36m(const KeypointSequence& coco);

}  // namespace kasf::keypoints
