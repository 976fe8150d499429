// Predictions files: the 3D predictions of one model or method for the test clips of a dataset
// file, so that outputs made elsewhere (the official PyTorch code) or earlier are scored like a
// model's (layout in docs/evaluation.md, "Predictions files").
//
//   /predictions  float32 (clips, T, 17, 3), the model's normalised output for each test clip in order
//   root attributes: format = "kasf-predictions", format_version = 1, name, parameters (0 = unknown),
//     source_2d, flip_augmented, clip_length (T), clip_rule, test_frames (frames of the data file's
//     test split), clip_fingerprint (optional: TestClips::fingerprint of the clips predicted),
//     frame_step (optional: the clips' frame step, --frame-step)
#pragma once
#include <optional>
#include <string>

#include "evaluation/benchmark/clip_predictions_data.h"
#include "evaluation/benchmark/test_clips.h"

namespace kasf::eval {

// What a predictions file says about the clips it was made for.
struct PredictionsStamp {
  data::ClipRule rule = data::ClipRule::motionbert;
  int64_t test_frames = 0;
  std::string fingerprint;  // empty when the file has none
  std::optional<int64_t> frame_step;  // nullopt when the file has none
};

struct PredictionsFile {
  ClipPredictions predictions;
  PredictionsStamp stamp;
};

// Atomic: nothing is left at `path` when writing fails.
void write_predictions_file(const std::string& path, const ClipPredictions& predictions, const TestClips& clips,
                            int64_t test_frames);

// Throws naming the file and the dataset or attribute when the layout is wrong (shape other than
// (clips, T, 17, 3), missing attributes, an unknown clip rule).
PredictionsFile read_predictions_file(const std::string& path);
// The frame step the file records, read without its predictions (kasf_eval's default --frame-step).
std::optional<int64_t> read_predictions_frame_step(const std::string& path);

// Throws std::invalid_argument naming `path` and what differs when the file was not made for these
// clips of a test split of `test_frames` frames: clip rule, frame step (when the file has one), clip
// length, test frames, clip count, or (when the file has one) the fingerprint.
void check_predictions_match(const PredictionsFile& file, const std::string& path, const TestClips& clips,
                             int64_t test_frames);

}  // namespace kasf::eval
