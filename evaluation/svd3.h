// Singular value decomposition of a 3x3 matrix in double precision (one-sided Jacobi), robust to
// rank-deficient input such as a planar pose.
#pragma once
#include <array>

namespace kasf::eval {

using Mat3 = std::array<std::array<double, 3>, 3>;  // [row][column]

struct Svd3 {
  Mat3 u;                      // orthonormal columns, det(u) = +1
  std::array<double, 3> s;     // descending, >= 0
  Mat3 v;                      // orthonormal columns; a = u diag(s) v^T
};

Svd3 svd3(const Mat3& a);

Mat3 multiply(const Mat3& a, const Mat3& b);
Mat3 transpose(const Mat3& a);
double determinant(const Mat3& a);

}  // namespace kasf::eval
