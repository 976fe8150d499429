// COCO-17 keypoints written by common 2D detectors, read from JSON. Accepted layouts (one person
// per frame is kept: the one with the highest "score", or mean keypoint confidence without one):
//
//  1. A list with one entry per frame. An entry is a person object, a list of person objects (empty
//     when nothing was detected), a frame object {"instances": [person, ...]} (MMPose 1.x), or
//     directly the 51 numbers of a person's keypoints.
//  2. A list of detections [{"image_id" or "frame": id, "keypoints": [...], "score": s}, ...]
//     (MMPose 0.x / AlphaPose results). Integer ids are frame numbers: frames without a detection
//     between the smallest and largest id become missing frames. String ids (AlphaPose's
//     "12.jpg") are ordered by the number they contain, then by text.
//  3. An object {"frames": [...]} or {"instance_info": [...]} (MMPose 1.x) holding layout 1's list.
//
// A person's "keypoints" are 51 numbers (x, y, score per keypoint), 34 numbers (x, y) with the
// scores in "keypoint_scores" (or 1 when absent), or 17 lists [x, y] or [x, y, score]. Keypoints of
// frames without a person are NaN with confidence 0 (filled later, see gap_filling.h).
#pragma once
#include <string>

#include "keypoints/keypoint_sequence.h"

namespace kasf::keypoints {

// Throws kasf::io::FormatError naming the file and the frame or key at fault.
KeypointSequence read_coco_json(const std::string& path);

}  // namespace kasf::keypoints
