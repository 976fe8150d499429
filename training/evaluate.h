// Evaluation of a model on the clips of a test-role data set, as the official code does after each
// epoch (spec section 7): optional flip averaging, millimetre poses, per-action aggregation.
#pragma once
#include <cstdint>

#include "datasets/clip_dataset.h"
#include "evaluation/aggregate.h"
#include "models/kasportsformer.h"

namespace kasf::training {

// Runs `model` in eval mode without recording a graph (it is left in eval mode) and returns the
// official aggregation of MPJPE, P-MPJPE, N-MPJPE and acceleration error over `dataset`.
eval::Summary evaluate(models::KASportsFormer& model, const data::ClipDataset& dataset, int64_t batch_size,
                       bool flip_average);

}  // namespace kasf::training
