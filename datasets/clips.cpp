#include "datasets/clips.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

namespace kasf::data {
namespace {

void check_cutting(const ClipCutting& cutting) {
  if (cutting.clip_length < 1)
    throw std::invalid_argument("clip length must be positive, got " + std::to_string(cutting.clip_length));
  // A stride beyond the clip length would skip frames between windows and leave the leftover
  // segment undefined in both official rules.
  if (cutting.stride < 1 || cutting.stride > cutting.clip_length)
    throw std::invalid_argument("clip stride must be in 1.." + std::to_string(cutting.clip_length) + ", got " +
                                std::to_string(cutting.stride));
}

// Appends the windows of video [begin, end) and returns where the next window would have started.
int64_t append_windows(int64_t begin, int64_t end, const ClipCutting& cutting, std::vector<ClipFrames>& clips) {
  int64_t start = begin;
  for (; start + cutting.clip_length <= end; start += cutting.stride) {
    ClipFrames frames(cutting.clip_length);
    for (int64_t t = 0; t < cutting.clip_length; ++t) frames[t] = start + t;
    clips.push_back(std::move(frames));
  }
  return start;
}

}  // namespace

ClipFrames resampled_frames(int64_t start, int64_t length, int64_t clip_length, const std::vector<bool>& take_floor) {
  if (length < 1 || length >= clip_length)
    throw std::invalid_argument("resampled_frames: segment length " + std::to_string(length) + " is not in 1.." +
                                std::to_string(clip_length - 1));
  if (static_cast<int64_t>(take_floor.size()) != clip_length)
    throw std::invalid_argument("resampled_frames: " + std::to_string(take_floor.size()) + " choices for " +
                                std::to_string(clip_length) + " positions");
  // k * (length / clip_length) in double, as numpy's linspace evaluates it.
  const double step = static_cast<double>(length) / static_cast<double>(clip_length);
  ClipFrames frames(clip_length);
  for (int64_t k = 0; k < clip_length; ++k) {
    const double even = static_cast<double>(k) * step;
    frames[k] = static_cast<int64_t>(take_floor[k] ? std::floor(even) : std::ceil(even));
  }
  std::sort(frames.begin(), frames.end());
  for (int64_t& f : frames) f = start + std::min(f, length - 1);
  return frames;
}

ClipFrames resampled_frames(int64_t start, int64_t length, int64_t clip_length, Generator& generator) {
  std::vector<bool> take_floor(clip_length);
  for (int64_t k = 0; k < clip_length; ++k) take_floor[k] = generator.below(2) == 1;
  return resampled_frames(start, length, clip_length, take_floor);
}

std::vector<ClipFrames> cut_clips(std::span<const int32_t> video_of_frame, const ClipCutting& cutting, Generator& generator) {
  check_cutting(cutting);
  const int64_t num_frames = static_cast<int64_t>(video_of_frame.size());
  std::vector<ClipFrames> clips;
  std::set<int32_t> videos_with_clips;  // MotionBERT remembers sources by name, not by run
  for (int64_t begin = 0; begin < num_frames;) {
    int64_t end = begin + 1;
    while (end < num_frames && video_of_frame[end] == video_of_frame[begin]) ++end;
    const bool last_video = end == num_frames;
    const size_t clips_before = clips.size();
    const int64_t next_start = append_windows(begin, end, cutting, clips);

    if (cutting.rule == ClipRule::motionbert) {
      if (clips.size() > clips_before) {
        videos_with_clips.insert(video_of_frame[begin]);
      } else if (!last_video && videos_with_clips.insert(video_of_frame[begin]).second) {
        clips.push_back(resampled_frames(begin, end - begin, cutting.clip_length, generator));
      }
    } else {
      const int64_t leftover = end - next_start;
      if (!last_video && leftover * 2 >= cutting.clip_length)
        clips.push_back(resampled_frames(next_start, leftover, cutting.clip_length, generator));
    }
    begin = end;
  }
  return clips;
}

}  // namespace kasf::data
