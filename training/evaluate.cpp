#include "training/evaluate.h"

#include <span>

#include "datasets/batcher.h"
#include "evaluation/metrics.h"
#include "evaluation/postprocess.h"
#include "framework/autograd.h"
#include "keypoints/flip_augmentation.h"

namespace kasf::training {
namespace {

constexpr int64_t kJoints = 17, kChannels = 3;

eval::Poses clip_poses(const std::vector<float>& batch, int64_t clip, int64_t frames) {
  const int64_t values = frames * kJoints * kChannels;
  eval::Poses poses;
  poses.frames = frames;
  poses.xyz.assign(batch.begin() + clip * values, batch.begin() + (clip + 1) * values);
  return poses;
}

}  // namespace

eval::Summary evaluate(models::KASportsFormer& model, const data::ClipDataset& dataset, int64_t batch_size,
                       bool flip_average) {
  NoGradGuard no_grad;
  model.eval();
  const int64_t frames = dataset.clip_length();
  keypoints::ClipPredictor predict = [&](const std::vector<float>& clips, int64_t count) {
    return model.forward(Tensor::from_vector({count, frames, kJoints, kChannels}, clips)).to_vector();
  };
  if (flip_average) predict = keypoints::with_flip_augmentation(predict, kChannels, kChannels);

  data::BatcherOptions options;
  options.batch_size = batch_size;
  options.shuffle = false;
  data::Batcher batcher(dataset, options);
  eval::MetricAccumulator accumulator;
  while (auto batch = batcher.next()) {
    const int64_t count = static_cast<int64_t>(batch->clips.size());
    const std::vector<float> prediction = predict(batch->input.to_vector(), count);
    const std::vector<float> truth = batch->label_scaled.to_vector();
    const std::vector<float> factor = batch->factor.to_vector();
    for (int64_t b = 0; b < count; ++b) {
      const eval::Poses predicted_mm = eval::prediction_to_mm(
          clip_poses(prediction, b, frames), batch->image_sizes[b].width,
          std::span<const float>(factor).subspan(b * frames, frames));
      accumulator.add_clip(batch->actions[b], eval::evaluate_clip(predicted_mm, eval::root_relative(clip_poses(truth, b, frames))));
    }
  }
  return accumulator.summary(eval::Aggregation::official);
}

}  // namespace kasf::training
