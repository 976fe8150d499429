// Evaluation of a model on validation or test clips, as the official code does after each epoch
// (spec section 7): optional flip averaging, millimetre poses, per-action aggregation.
#pragma once
#include <cstdint>

#include "distributed/communicator.h"
#include "evaluation/aggregate.h"
#include "evaluation/benchmark/test_clips.h"
#include "models/pose_lifter.h"

namespace kasf::training {

// Runs `model` in eval mode without recording a graph (it is left in eval mode) and returns the
// official aggregation of MPJPE, P-MPJPE, N-MPJPE and acceleration error over `clips`. With several
// ranks each predicts its shard of every batch; the predictions are gathered in clip order and
// every rank scores them all, so every rank returns the same summary.
eval::Summary evaluate(models::PoseLifter& model, const eval::TestClips& clips, int64_t batch_size,
                       bool flip_average, distributed::Communicator& communicator);

}  // namespace kasf::training
