// The 3D predictions of a model or method for the clips of a TestClips: what predict_test_clips
// produces and a predictions file stores. Apart from the model code, so that the file's reader
// builds without it (fuzz/hdf5_fuzzer.cpp).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "evaluation/poses.h"

namespace kasf::eval {

struct ClipPredictions {
  std::string name;        // model or method, for the table row
  int64_t parameters = 0;  // 0 when unknown
  std::string source_2d;   // "det", "gt", ...
  bool flip_augmented = false;
  int64_t clip_length = 0;
  int64_t clips = 0;
  std::vector<float> values;  // clips x clip_length x 17 x 3

  Poses clip(int64_t index) const;
};

}  // namespace kasf::eval
