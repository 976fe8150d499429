// Building a model from a weight file and running it in evaluation mode (kasf_infer's logic).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/pose_lifter.h"

namespace kasf::models {

// The model a weight file describes: hyperparameters from `config_path` when not empty, else from the
// file's root attributes; weights loaded strictly.
std::unique_ptr<PoseLifter> load_model(const std::string& weights_path, const std::string& config_path = "");

// The root attribute in which kasf_train's checkpoints record the experiment's data.frame_step, and
// its value in a weight file: nullopt when the file has none (converted official weights). Throws
// naming the file when it is not a positive integer.
inline constexpr const char* kTrainedFrameStepAttribute = "data_frame_step";
std::optional<int64_t> trained_frame_step(const std::string& weights_path);

// Eval-mode forward without recording a graph.
Tensor predict(PoseLifter& model, const Tensor& input);

// predict() on host values: `clips` (count, n_frames, num_joints, dim_in) row-major go to the
// model's device, the output (count, n_frames, num_joints, dim_out) comes back.
std::vector<float> predict_clips(PoseLifter& model, const std::vector<float>& clips, int64_t count);

// A float dataset of an HDF5 file as a tensor, and a tensor written as the only dataset of a new
// file (atomically: nothing is left at `path` if writing fails).
Tensor read_tensor(const std::string& path, const std::string& dataset);
void write_tensor(const std::string& path, const std::string& dataset, const Tensor& value);

}  // namespace kasf::models
