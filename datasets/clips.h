// Cutting a split's frames into fixed-length clips (spec 6.3).
//
// Frames are grouped into videos by their `source` id. Inside a video, windows of `clip_length`
// frames start every `stride` frames; the two rules differ in what they do with the frames a video
// has left over:
//  * MotionBERT (SportsPose, H36M, AthletePose3D; MotionBERT's `split_clips`): leftovers of a video
//    that produced a window are dropped; a video that produced no window becomes one resampled
//    clip, unless a clip was already made for the same source name earlier in the list, or it is
//    the last video of the list.
//  * WorldPose (KASportsFormer's `mysplit_clips`): the segment from the start the next window would
//    have had to the video's end becomes one resampled clip when it holds at least half a clip
//    (length * 2 >= clip_length), else it is dropped; the last video's segment is never emitted.
//
// A frame step N > 1 (a 10 fps model on 50 fps data: N = 5) splits every video into N phase videos,
// frames p, p + N, p + 2N, ... for p = 0 .. N - 1, and cuts each phase video by the rules above, so a
// clip takes every N-th frame of its source, the stride counts such frames, and each source frame
// lands in clips of exactly one phase. The rules' "same source" and "last video" apply per phase.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "datasets/clip_rule.h"
#include "framework/random.h"

namespace kasf::data {

struct ClipCutting {
  ClipRule rule = ClipRule::motionbert;
  int64_t clip_length = 27;
  int64_t stride = 27;      // 1 <= stride <= clip_length, in frames of the clip's rate
  int64_t frame_step = 1;   // source frames from one clip frame to the next, >= 1
};

// Frame indices (into the split) of one clip, `clip_length` of them, in time order.
using ClipFrames = std::vector<int64_t>;

// Resamples the `length` frames starting at `start` (length < clip_length) to `clip_length` indices:
// position k takes floor or ceil of k * length / clip_length, the result is sorted and clamped to
// the segment. `take_floor[k]` makes the choice; the Generator overload draws one fair bit per
// position, in order (MotionBERT draws them from unseeded numpy).
ClipFrames resampled_frames(int64_t start, int64_t length, int64_t clip_length, const std::vector<bool>& take_floor);
ClipFrames resampled_frames(int64_t start, int64_t length, int64_t clip_length, Generator& generator);

// All clips of a split, in the order the official code emits them. `video_of_frame[i]` identifies
// frame i's source; equal ids mean the same source name. Resampling draws from `generator`.
std::vector<ClipFrames> cut_clips(std::span<const int32_t> video_of_frame, const ClipCutting& cutting, Generator& generator);

}  // namespace kasf::data
