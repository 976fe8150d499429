#include "training/evaluate.h"

#include "evaluation/benchmark/clip_predictions.h"
#include "evaluation/benchmark/scoring.h"

namespace kasf::training {
namespace {

// The ranks' predictions (each its shard of every batch, batch after batch) in clip order.
std::vector<float> in_clip_order(const std::vector<std::vector<float>>& per_rank, int64_t clips, int64_t batch_size,
                                 int64_t values_per_clip) {
  const int ranks = static_cast<int>(per_rank.size());
  std::vector<float> out;
  out.reserve(clips * values_per_clip);
  std::vector<size_t> taken(ranks, 0);
  for (int64_t begin = 0; begin < clips; begin += batch_size)
    for (int r = 0; r < ranks; ++r) {
      const auto values = static_cast<size_t>(shard_of(std::min(batch_size, clips - begin), r, ranks).size * values_per_clip);
      const auto from = per_rank[r].begin() + static_cast<std::ptrdiff_t>(taken[r]);
      out.insert(out.end(), from, from + static_cast<std::ptrdiff_t>(values));
      taken[r] += values;
    }
  return out;
}

}  // namespace

eval::Summary evaluate(models::PoseLifter& model, const eval::TestClips& clips, int64_t batch_size,
                       bool flip_average, distributed::Communicator& communicator) {
  eval::PredictionOptions options;
  options.batch_size = batch_size;
  options.flip = flip_average;
  options.progress = false;
  options.shard_index = communicator.rank();
  options.shard_count = communicator.size();
  eval::ClipPredictions predictions = eval::predict_test_clips(model, clips, options);
  if (communicator.size() > 1) {
    const int64_t values_per_clip = predictions.clip_length * eval::kJoints * 3;
    predictions.values = in_clip_order(communicator.all_gather(predictions.values, "gathering evaluation predictions"),
                                       clips.size(), batch_size, values_per_clip);
    predictions.clips = clips.size();
  }
  return eval::score_predictions(predictions, clips).summary(eval::Aggregation::official);
}

}  // namespace kasf::training
