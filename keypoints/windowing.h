// Lifting a sequence of any length with a model that takes clips of exactly T frames.
//
// Sequences of at least T frames are covered by overlapping windows of T frames starting every
// `stride` frames (default ceil(T / 2)), the last one ending at the last frame. A frame's output is
// the weighted mean of the outputs of the windows that contain it, with the tent weight
// w(k) = min(k + 1, T - k) of its position k in each window: a window's central frames, which see
// the most context, count most, and no weight is zero, so frames seen by one window only get that
// window's output. Sequences shorter than T are resampled to one clip with frame floor(k F / T) at
// position k (every frame appears at least once) and brought back by averaging the positions that
// hold the same frame.
//
// A model of a lower frame rate than the sequence's (trained with data.frame_step N: every N-th
// frame) lifts each of the N phases (frames p, p + N, p + 2N, ...) as a sequence of its own: its
// windows hold frames of one phase, so every frame is predicted at the model's rate.
#pragma once
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace kasf::keypoints {

struct Window {
  std::vector<int64_t> frames;   // T source frames, in time order
  std::vector<double> weights;   // T blending weights
};

// Throws std::invalid_argument unless frames >= 1, clip_length >= 1, 1 <= stride <= clip_length
// (stride 0 picks the default) and frame_step >= 1. Windows go phase by phase.
std::vector<Window> plan_windows(int64_t frames, int64_t clip_length, int64_t stride = 0, int64_t frame_step = 1);

// Model call: `clips` holds clip_count x T x 17 x in_channels values; returns
// clip_count x T x 17 x out_channels values.
using ClipPredictor = std::function<std::vector<float>(const std::vector<float>& clips, int64_t clip_count)>;

struct SequenceShape {
  int64_t frames = 0;
  int64_t in_channels = 3;   // (x, y, confidence)
  int64_t out_channels = 3;  // (x, y, z)
};

// Cuts `input` ((frames, 17, in_channels)) into the planned clips, predicts them all in one call
// (the predictor may batch further), and blends the outputs to (frames, 17, out_channels).
std::vector<float> predict_sequence(std::span<const float> input, const SequenceShape& shape, int64_t clip_length,
                                    const ClipPredictor& predict, int64_t stride = 0, int64_t frame_step = 1);

}  // namespace kasf::keypoints
