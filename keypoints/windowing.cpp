#include "keypoints/windowing.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "keypoints/keypoint_sequence.h"

namespace kasf::keypoints {

namespace {

// The windows of consecutive frames (frame step 1).
std::vector<Window> plan_consecutive(int64_t frames, int64_t clip_length, int64_t stride) {
  std::vector<Window> windows;
  if (frames < clip_length) {
    Window w;
    for (int64_t k = 0; k < clip_length; ++k) w.frames.push_back(k * frames / clip_length);
    w.weights.assign(clip_length, 1.0);
    windows.push_back(std::move(w));
    return windows;
  }
  std::vector<int64_t> starts;
  for (int64_t s = 0; s + clip_length < frames; s += stride) starts.push_back(s);
  starts.push_back(frames - clip_length);
  for (int64_t start : starts) {
    Window w;
    for (int64_t k = 0; k < clip_length; ++k) {
      w.frames.push_back(start + k);
      w.weights.push_back(static_cast<double>(std::min(k + 1, clip_length - k)));
    }
    windows.push_back(std::move(w));
  }
  return windows;
}

}  // namespace

std::vector<Window> plan_windows(int64_t frames, int64_t clip_length, int64_t stride, int64_t frame_step) {
  if (stride == 0) stride = (clip_length + 1) / 2;
  if (frames < 1 || clip_length < 1 || stride < 1 || stride > clip_length || frame_step < 1)
    throw std::invalid_argument("plan_windows: " + std::to_string(frames) + " frames, clip length " +
                                std::to_string(clip_length) + ", stride " + std::to_string(stride) + ", frame step " +
                                std::to_string(frame_step));
  if (frame_step == 1) return plan_consecutive(frames, clip_length, stride);
  std::vector<Window> windows;
  for (int64_t phase = 0; phase < std::min(frame_step, frames); ++phase) {
    const int64_t phase_frames = (frames - phase + frame_step - 1) / frame_step;
    for (Window& w : plan_consecutive(phase_frames, clip_length, stride)) {
      for (int64_t& f : w.frames) f = phase + f * frame_step;
      windows.push_back(std::move(w));
    }
  }
  return windows;
}

std::vector<float> predict_sequence(std::span<const float> input, const SequenceShape& shape, int64_t clip_length,
                                    const ClipPredictor& predict, int64_t stride, int64_t frame_step) {
  const int64_t in_size = kKeypoints * shape.in_channels, out_size = kKeypoints * shape.out_channels;
  if (shape.in_channels < 1 || shape.out_channels < 1 || input.size() != static_cast<size_t>(shape.frames * in_size))
    throw std::invalid_argument("predict_sequence: " + std::to_string(input.size()) + " values are not " +
                                std::to_string(shape.frames) + " frames x 17 joints x " +
                                std::to_string(shape.in_channels) + " channels");
  const std::vector<Window> windows = plan_windows(shape.frames, clip_length, stride, frame_step);
  const int64_t clips = static_cast<int64_t>(windows.size());

  std::vector<float> batch;
  batch.reserve(clips * clip_length * in_size);
  for (const Window& w : windows)
    for (int64_t f : w.frames) batch.insert(batch.end(), input.begin() + f * in_size, input.begin() + (f + 1) * in_size);
  const std::vector<float> outputs = predict(batch, clips);
  if (outputs.size() != static_cast<size_t>(clips * clip_length * out_size))
    throw std::runtime_error("predict_sequence: the model returned " + std::to_string(outputs.size()) + " values for " +
                             std::to_string(clips) + " clips of " + std::to_string(clip_length) + " frames x 17 x " +
                             std::to_string(shape.out_channels));

  std::vector<double> sums(shape.frames * out_size, 0.0), weight_sums(shape.frames, 0.0);
  for (int64_t c = 0; c < clips; ++c)
    for (int64_t k = 0; k < clip_length; ++k) {
      const int64_t f = windows[c].frames[k];
      const double w = windows[c].weights[k];
      weight_sums[f] += w;
      const float* y = outputs.data() + (c * clip_length + k) * out_size;
      for (int64_t i = 0; i < out_size; ++i) sums[f * out_size + i] += w * y[i];
    }
  std::vector<float> blended(sums.size());
  for (int64_t f = 0; f < shape.frames; ++f)
    for (int64_t i = 0; i < out_size; ++i) blended[f * out_size + i] = static_cast<float>(sums[f * out_size + i] / weight_sums[f]);
  return blended;
}

}  // namespace kasf::keypoints
