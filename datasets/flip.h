// Horizontal flip of H36M-17 poses (spec 5.2): negate x and swap the right and left legs and arms.
#pragma once
#include <cstdint>
#include <span>

#include "datasets/pose_layout.h"

namespace kasf::data {

// The joint that takes joint `j`'s place after a flip (1<->4, 2<->5, 3<->6, 14<->11, 15<->12,
// 16<->13; the spine, head and root map to themselves).
int64_t flipped_joint(int64_t j);

// In place over consecutive 17-joint poses with `channels` values per joint (x first): (x, y, conf)
// inputs and (x, y, z) labels alike. Flipping twice restores the input.
void flip_poses(std::span<float> poses, int64_t channels);

}  // namespace kasf::data
