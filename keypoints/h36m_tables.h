// H36M-17 keypoints from plain tables.
//
// CSV: one row per frame, 34 columns (x0, y0, x1, y1, ..., x16, y16; confidence 1) or 51 columns
//      (x0, y0, c0, ...). An optional first header row (any non-numeric field) is skipped; empty
//      fields and "nan" read as NaN (missing).
// HDF5: the dataset "/keypoints" of shape (frames, 17, 2) or (frames, 17, 3), any numeric type.
#pragma once
#include <string>

#include "keypoints/keypoint_sequence.h"

namespace kasf::keypoints {

inline constexpr const char* kKeypointsDataset = "keypoints";

// Throw kasf::io::FormatError naming the file and the row, column or dataset at fault.
KeypointSequence read_h36m_csv(const std::string& path);
KeypointSequence read_h36m_h5(const std::string& path);

}  // namespace kasf::keypoints
