// The H36M-17 skeleton facts the anatomy layers are built on (spec section 5.1, 2.3, 2.4).
#pragma once
#include <array>
#include <vector>

#include "framework/tensor.h"

namespace kasf::skeleton {

constexpr int64_t kNumJoints = 17;
constexpr int64_t kNumBones = 16;

// Parent of each joint (-1 for the root, the pelvis).
constexpr std::array<int64_t, kNumJoints> kParents = {-1, 0, 1, 2, 0, 4, 5, 0, 7, 8, 9, 8, 11, 12, 8, 14, 15};

// Bone b joins joint b+1 (distal) to its parent (proximal).
std::vector<int64_t> bone_proximal_joints();  // kParents[1..16]
std::vector<int64_t> bone_distal_joints();    // 1..16

// The 17 LimbFus groups, as indices into the token axis of the model input (spec 2.4: the
// official code gathers joints, although its comments speak of bones).
const std::vector<std::vector<int64_t>>& limb_groups();

// 0/1 adjacency of the undirected skeleton graph without self-loops, (17, 17).
Tensor adjacency();

}  // namespace kasf::skeleton
