#include "evaluation/benchmark/kinematic_sequences.h"

#include "evaluation/benchmark/scoring.h"

namespace kasf::eval {
namespace {

void append(Poses& sequence, const Poses& clip) {
  sequence.frames += clip.frames;
  sequence.xyz.insert(sequence.xyz.end(), clip.xyz.begin(), clip.xyz.end());
}

}  // namespace

std::vector<KinematicSequence> window_sequences(const ClipPredictions& predictions, const TestClips& clips) {
  std::vector<KinematicSequence> sequences;
  const int64_t step = clips.frame_step();
  int64_t next_frame = -1;  // the frame that would continue the last sequence
  for (int64_t clip = 0; clip < clips.size(); ++clip) {
    const data::ClipFrames& frames = clips.dataset().frames(clip);
    if (!clips.dataset().evenly_sampled(clip)) {
      next_frame = -1;
      continue;
    }
    const bool continues = frames.front() == next_frame &&
                           clips.video_of_frame(frames.front()) == clips.video_of_frame(frames.front() - step);
    if (!continues)
      sequences.push_back({clips.truth(clip).action, clips.truth(clip).fps / step, frames.front(), {}, {}});
    append(sequences.back().predicted_mm, predicted_mm(predictions, clips, clip));
    append(sequences.back().truth_mm, clips.truth(clip).truth_mm);
    next_frame = frames.back() + step;
  }
  return sequences;
}

}  // namespace kasf::eval
