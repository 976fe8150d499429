// Running kasf_infer's keypoint mode on the committed sample (tests run in tests/inference/).
#pragma once
#include <string>

#include "tests/support/scratch_dir.h"

namespace kasf::inference::test {

// 41 frames of COCO-17 from the CMU sample, 1000 x 1000 pixels, frame 20 without a detection
// (../data/keypoints/README.md).
inline constexpr const char* kSample = "../data/keypoints/cmu_running_coco.json";
inline constexpr int kSampleFrames = 41;
inline constexpr double kSampleSize = 1000;
// The small official-code fixture model: n_frames 9, so the sample needs several windows.
inline constexpr const char* kWeights = "../data/fixtures/fixture_small.h5";
inline constexpr int kClipLength = 9;

// Exit status of `kasf_infer <arguments>`; stdout and stderr go to `log`. `path`, when given,
// replaces the PATH kasf_infer sees (where it looks for ffmpeg).
int run_infer(const std::string& arguments, const std::string& log, const std::string& path = "");

// `kasf_infer` on the sample with the fixture weights, writing `output`, plus `extra` arguments.
std::string sample_arguments(const std::string& output, const std::string& extra = "");


}  // namespace kasf::inference::test
