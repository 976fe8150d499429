#include "datasets/clips.h"

#include <algorithm>
#include <cmath>
#include <map>
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
  if (cutting.frame_step < 1)
    throw std::invalid_argument("clip frame step must be positive, got " + std::to_string(cutting.frame_step));
}

// One past the last frame of the video that starts at `begin`.
int64_t video_end(std::span<const int32_t> video_of_frame, int64_t begin) {
  int64_t end = begin + 1;
  while (end < static_cast<int64_t>(video_of_frame.size()) && video_of_frame[end] == video_of_frame[begin]) ++end;
  return end;
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

// The rules of clips.h on consecutive frames (frame step 1).
std::vector<ClipFrames> cut_consecutive(std::span<const int32_t> video_of_frame, const ClipCutting& cutting,
                                        Generator& generator) {
  const int64_t num_frames = static_cast<int64_t>(video_of_frame.size());
  std::vector<ClipFrames> clips;
  std::set<int32_t> videos_with_clips;  // MotionBERT remembers sources by name, not by run
  for (int64_t begin = 0; begin < num_frames;) {
    const int64_t end = video_end(video_of_frame, begin);
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
  const int64_t step = cutting.frame_step;
  if (step == 1) return cut_consecutive(video_of_frame, cutting, generator);
  // Lay the phase videos out one after another; a phase is identified by its source and offset, so
  // the MotionBERT rule still recognises a source seen before.
  std::vector<int64_t> frame_at;  // position in the phase layout -> frame of the split
  std::vector<int32_t> phase_of_position;
  std::map<std::pair<int32_t, int64_t>, int32_t> phase_ids;
  for (int64_t begin = 0; begin < static_cast<int64_t>(video_of_frame.size());) {
    const int64_t end = video_end(video_of_frame, begin);
    for (int64_t phase = 0; phase < step && begin + phase < end; ++phase) {
      const int32_t id = phase_ids.try_emplace({video_of_frame[begin], phase}, static_cast<int32_t>(phase_ids.size()))
                             .first->second;
      for (int64_t f = begin + phase; f < end; f += step) {
        frame_at.push_back(f);
        phase_of_position.push_back(id);
      }
    }
    begin = end;
  }
  std::vector<ClipFrames> clips = cut_consecutive(phase_of_position, cutting, generator);
  for (ClipFrames& clip : clips)
    for (int64_t& f : clip) f = frame_at[f];
  return clips;
}

}  // namespace kasf::data
