#include "evaluation/benchmark/clip_predictions.h"

#include <stdexcept>

#include "datasets/batcher.h"
#include "evaluation/benchmark/progress_line.h"
#include "keypoints/flip_augmentation.h"
#include "models/inference.h"

namespace kasf::eval {
namespace {

constexpr int64_t kChannels = 3;

}  // namespace

Poses ClipPredictions::clip(int64_t index) const {
  const int64_t size = clip_length * kJoints * kChannels;
  return {clip_length, std::vector<float>(values.begin() + index * size, values.begin() + (index + 1) * size)};
}

ClipPredictions predict_test_clips(models::PoseLifter& model, const TestClips& clips,
                                   const PredictionOptions& options) {
  const int64_t frames = model.config().n_frames();
  if (frames != clips.clip_length())
    throw std::invalid_argument("model " + model.config().model_name() + " takes clips of " + std::to_string(frames) +
                                " frames, the test clips have " + std::to_string(clips.clip_length()));
  keypoints::ClipPredictor predict = [&](const std::vector<float>& input, int64_t count) {
    return models::predict_clips(model, input, count);
  };
  if (options.flip) predict = keypoints::with_flip_augmentation(predict, kChannels, kChannels);

  ClipPredictions result;
  result.name = options.name;
  result.parameters = model.parameter_count();
  result.flip_augmented = options.flip;
  result.clip_length = frames;
  result.clips = clips.size();
  result.values.reserve(clips.size() * frames * kJoints * kChannels);

  data::BatcherOptions batching;
  batching.batch_size = options.batch_size;
  batching.shuffle = false;
  batching.shard_index = options.shard_index;
  batching.shard_count = options.shard_count;
  data::Batcher batcher(clips.dataset(), batching);
  ProgressLine progress(options.name, clips.size());
  int64_t done = 0;
  while (std::optional<data::Batch> batch = batcher.next()) {
    const int64_t count = static_cast<int64_t>(batch->clips.size());
    if (count > 0) {  // a shard of a last batch smaller than the shard count may be empty
      const std::vector<float> output = predict(batch->input.to_vector(), count);
      result.values.insert(result.values.end(), output.begin(), output.end());
    }
    done += count;
    if (options.progress) progress.update(done);
  }
  if (options.progress) progress.finish();
  result.clips = static_cast<int64_t>(result.values.size()) / (frames * kJoints * kChannels);
  return result;
}

}  // namespace kasf::eval
