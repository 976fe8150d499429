#include "layers/skeleton.h"

namespace kasf::skeleton {

std::vector<int64_t> bone_proximal_joints() { return {kParents.begin() + 1, kParents.end()}; }

std::vector<int64_t> bone_distal_joints() {
  std::vector<int64_t> distal;
  for (int64_t joint = 1; joint < kNumJoints; ++joint) distal.push_back(joint);
  return distal;
}

const std::vector<std::vector<int64_t>>& limb_groups() {
  static const std::vector<std::vector<int64_t>> groups = {
      {0, 1, 2},   {3, 4, 5},     {6, 7},         {8, 9},         {10, 11, 12},   {13, 14, 15},
      {6, 7, 1, 2}, {6, 7, 4, 5}, {6, 7, 11, 12}, {6, 7, 14, 15}, {6, 7, 9},      {14, 15, 11, 12},
      {1, 2, 4, 5}, {14, 15, 4, 5}, {11, 12, 4, 5}, {10, 0},       {13, 3}};
  return groups;
}

Tensor adjacency() {
  std::vector<float> a(kNumJoints * kNumJoints, 0.0f);
  for (int64_t child = 1; child < kNumJoints; ++child) {
    a[child * kNumJoints + kParents[child]] = 1.0f;
    a[kParents[child] * kNumJoints + child] = 1.0f;
  }
  return Tensor::from_vector({kNumJoints, kNumJoints}, a);
}

}  // namespace kasf::skeleton
