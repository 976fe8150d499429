// BoneExt (the official bone_decomposer): per frame, 17 bone tokens [u_x, u_y, L] from the 2D joints
// (spec 2.3). Token b < 16 is the bone from joint b+1 to its parent, u the unit vector
// parent - child and L its length; zero lengths become 1 (so the direction is (0, 0)); token 16,
// the "ultra bone", holds the mean of the 16 unit vectors (not re-normalised) and of the lengths.
// The confidence channel is not used. No parameters.
#pragma once
#include "framework/tensor.h"

namespace kasf {

// joints (B, T, 17, >=2) -> (B, T, 17, 3)
Tensor bone_features(const Tensor& joints);

}  // namespace kasf
