#include "layers/bone_ext.h"

#include <string>

#include "framework/ops.h"
#include "layers/skeleton.h"

namespace kasf {

Tensor bone_features(const Tensor& joints) {
  if (joints.rank() != 4 || joints.size(2) != skeleton::kNumJoints || joints.size(3) < 2)
    throw ShapeError("BoneExt: expected joints (B, T, 17, >=2), got " + to_string(joints.shape()));
  Tensor xy = slice(joints, 3, 0, 2);
  Tensor vectors = sub(index_select(xy, 2, skeleton::bone_proximal_joints()),
                       index_select(xy, 2, skeleton::bone_distal_joints()));  // (B, T, 16, 2)
  Tensor raw_lengths = l2_norm(vectors, true);                                // (B, T, 16, 1)
  Tensor one = Tensor::scalar(1.0f, joints.device());
  Tensor lengths = where(eq(raw_lengths, Tensor::scalar(0.0f, joints.device())), one, raw_lengths);
  Tensor directions = div(vectors, lengths);
  Tensor bones = concat({directions, lengths}, 3);
  return concat({bones, mean(bones, {2}, true)}, 2);
}

}  // namespace kasf
