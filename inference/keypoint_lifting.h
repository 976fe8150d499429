// A keypoint sequence (H36M-17, pixels) lifted to root-relative 3D by a model: model input
// normalised with the image size, windows of the model's clip length blended over the whole
// sequence (keypoints/windowing.h), optional flip test-time augmentation, model calls batched.
#pragma once
#include <cstdint>
#include <optional>

#include "datasets/normalize.h"
#include "keypoints/keypoint_sequence.h"
#include "keypoints/pose_output.h"
#include "models/pose_lifter.h"

namespace kasf::inference {

struct LiftingOptions {
  data::ImageSize image;    // the video's size in pixels (spec 6.2 normalisation)
  bool flip = false;        // flip test-time augmentation (keypoints/flip_augmentation.h)
  int64_t batch_size = 32;  // clips per model call
  double fps = 0;           // recorded in the output; 0 when unknown
  bool progress = true;     // progress line on stderr
  int64_t frame_step = 1;   // the model sees every frame_step-th frame (keypoints/windowing.h)
};

// Poses in the model's normalised units, pelvis at the origin in every frame. Throws
// std::invalid_argument for a batch size or frame step below 1 or an empty image size.
keypoints::PoseOutput lift_keypoints(models::PoseLifter& model, const keypoints::KeypointSequence& h36m,
                                     const LiftingOptions& options);

// How normalised poses become millimetres (keypoints/pose_output.h): a camera (focal length in
// pixels and subject distance in mm), or the subject's skeleton height in mm; neither keeps them
// normalised.
struct MetricScale {
  std::optional<double> focal_px, distance_mm;
  std::optional<double> subject_height_mm;
};

// Throws std::invalid_argument when only one of focal and distance is given, or both a camera and
// a height; apply_scale checks too.
void check_scale(const MetricScale& scale);
keypoints::PoseOutput apply_scale(keypoints::PoseOutput poses, const MetricScale& scale, double image_width);

}  // namespace kasf::inference
