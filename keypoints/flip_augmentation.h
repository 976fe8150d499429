// Flip test-time augmentation (spec 7 step 1): P = (f(X) + flipback(f(flip(X)))) / 2, with the
// horizontal flip of spec 5.2 applied to a copy of the input (the official demo flips its input in
// place and so averages f(flip X) with its own flip-back; this does not).
#pragma once
#include <cstdint>

#include "keypoints/windowing.h"

namespace kasf::keypoints {

// Wraps `predict` (clips of in_channels inputs to out_channels outputs, x first in both).
ClipPredictor with_flip_augmentation(ClipPredictor predict, int64_t in_channels, int64_t out_channels);

}  // namespace kasf::keypoints
