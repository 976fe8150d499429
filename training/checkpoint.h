// Training checkpoints: one HDF5 file with everything a run needs to continue exactly where it was.
//
//   /                 root attributes: the model hyperparameters (as in weight files) and
//                     kasf_checkpoint_version
//   /weights/<key>, /state_dict_keys   the model's state dict in the weight-file layout, so that
//                     kasf_infer and kasf_eval load a checkpoint like any weight file
//   /optimizer        attribute lr; one group per updated parameter (attribute step, datasets
//                     exp_avg and exp_avg_sq)
//   /training         attributes: epoch, step, the running loss sums of the epoch in progress,
//                     ReduceLROnPlateau and early-stopping state, the data-order position
//                     (batcher epoch, index, generator seed and offset), the training time used
//                     (elapsed_seconds) and the experiment text
//   /random_streams/<name>   attributes seed and offset of each of the model's random streams
//                     (Module::named_generators: the dropout masks)
//
// Files are written atomically (temporary file, fsync, rename).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "datasets/batcher.h"
#include "framework/io/weight_file.h"
#include "optim/adamw.h"
#include "optim/early_stopping.h"
#include "optim/reduce_lr_on_plateau.h"

namespace kasf::training {

// Batch-size-weighted sums of the loss terms over the batches of an epoch so far.
struct LossSums {
  double mpjpe = 0, n_mpjpe = 0, velocity = 0, total = 0;
  int64_t samples = 0;
};

// Where one of the model's random streams stands (Module::named_generators).
struct RandomStreamState {
  std::string name;
  uint64_t seed = 0, offset = 0;
};

struct Checkpoint {
  io::WeightFile model;  // state dict and model attributes
  AdamWState optimizer;
  ReduceLROnPlateauState plateau;
  EarlyStoppingState early_stopping;
  int64_t epoch = 0;  // the epoch in progress, or the next one when `data` is at an epoch start
  int64_t step = 0;   // optimizer steps over the whole run
  double elapsed_seconds = 0;  // training time over the whole run: what the time budget has used
  LossSums epoch_losses;
  data::BatcherPosition data;
  std::vector<RandomStreamState> random_streams;
  std::string experiment;  // the completed experiment definition (text format)
};

void write_checkpoint(const std::string& path, const Checkpoint& checkpoint);
// Throws io::FormatError naming the file and the missing or malformed entry.
Checkpoint read_checkpoint(const std::string& path);

}  // namespace kasf::training
