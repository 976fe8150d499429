// From the model's normalised output and a test clip's labels to the millimetre, root-relative
// poses the metrics compare (spec 7 steps 2-3).
#pragma once
#include <span>

#include "evaluation/poses.h"

namespace kasf::eval {

// Zeroes the root, de-normalises with the clip's image size (spec 6.2), multiplies frame t by
// factor[t] (the 2.5D factor, mm per pixel) and makes the result root-relative. Because the root is
// zeroed first the image height cancels: P_mm[t, j] = P[t, j] * (width / 2) * factor[t].
// Throws std::invalid_argument if factor does not hold one value per frame or width <= 0.
Poses prediction_to_mm(const Poses& normalised, double image_width, std::span<const float> factor);

// Every joint minus joint 0 of the same frame (for the ground truth `label_scaled`).
Poses root_relative(const Poses& poses);

}  // namespace kasf::eval
