#include "evaluation/svd3.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace kasf::eval {
namespace {

using Vec3 = std::array<double, 3>;

Vec3 column(const Mat3& m, int c) { return {m[0][c], m[1][c], m[2][c]}; }
void set_column(Mat3& m, int c, const Vec3& v) {
  for (int r = 0; r < 3; ++r) m[r][c] = v[r];
}
double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
Vec3 scaled(const Vec3& a, double k) { return {a[0] * k, a[1] * k, a[2] * k}; }

// Rotates columns p and q of `a` (and of `v`) so that they become orthogonal.
void orthogonalize_pair(Mat3& a, Mat3& v, int p, int q) {
  const Vec3 ap = column(a, p), aq = column(a, q);
  const double alpha = dot(ap, ap), beta = dot(aq, aq), gamma = dot(ap, aq);
  if (std::abs(gamma) <= 1e-300 || std::abs(gamma) <= 1e-17 * std::sqrt(alpha * beta)) return;
  const double zeta = (beta - alpha) / (2 * gamma);
  const double t = std::copysign(1.0, zeta) / (std::abs(zeta) + std::sqrt(1 + zeta * zeta));
  const double c = 1 / std::sqrt(1 + t * t), s = c * t;
  for (Mat3* m : {&a, &v})
    for (int r = 0; r < 3; ++r) {
      const double x = (*m)[r][p], y = (*m)[r][q];
      (*m)[r][p] = c * x - s * y;
      (*m)[r][q] = s * x + c * y;
    }
}

// A unit vector orthogonal to the unit vector `a`: the cross product with the axis it is least aligned with.
Vec3 any_orthogonal(const Vec3& a) {
  int axis = 0;
  for (int k = 1; k < 3; ++k)
    if (std::abs(a[k]) < std::abs(a[axis])) axis = k;
  Vec3 e{0, 0, 0};
  e[axis] = 1;
  const Vec3 c = cross(a, e);
  return scaled(c, 1 / std::sqrt(dot(c, c)));
}

}  // namespace

Mat3 multiply(const Mat3& a, const Mat3& b) {
  Mat3 c{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 3; ++k) c[i][j] += a[i][k] * b[k][j];
  return c;
}

Mat3 transpose(const Mat3& a) {
  Mat3 t{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) t[i][j] = a[j][i];
  return t;
}

double determinant(const Mat3& a) { return dot(column(a, 0), cross(column(a, 1), column(a, 2))); }

Svd3 svd3(const Mat3& a) {
  Mat3 work = a;
  Mat3 v{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
  for (int sweep = 0; sweep < 60; ++sweep) {
    const Mat3 before = work;
    orthogonalize_pair(work, v, 0, 1);
    orthogonalize_pair(work, v, 0, 2);
    orthogonalize_pair(work, v, 1, 2);
    if (work == before) break;
  }
  // Column norms are the singular values; order them descending.
  std::array<double, 3> norms;
  for (int c = 0; c < 3; ++c) norms[c] = std::sqrt(dot(column(work, c), column(work, c)));
  std::array<int, 3> order;
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return norms[x] > norms[y]; });

  Svd3 out{};
  const double tiny = 1e-14 * std::max(norms[order[0]], 1e-300);
  int rank = 0;
  for (int k = 0; k < 3; ++k) {
    out.s[k] = norms[order[k]];
    set_column(out.v, k, column(v, order[k]));
    if (out.s[k] > tiny) {
      set_column(out.u, k, scaled(column(work, order[k]), 1 / out.s[k]));
      ++rank;
    }
  }
  // Complete u to an orthonormal basis where singular values vanish (planar or collinear input).
  if (rank == 0) set_column(out.u, 0, {1, 0, 0});
  if (rank <= 1) set_column(out.u, 1, any_orthogonal(column(out.u, 0)));
  if (rank <= 2) set_column(out.u, 2, cross(column(out.u, 0), column(out.u, 1)));
  for (int k = rank; k < 3; ++k) out.s[k] = 0;
  // det(u) = +1 by flipping a column of u and v together, which leaves u diag(s) v^T unchanged.
  if (determinant(out.u) < 0) {
    for (int r = 0; r < 3; ++r) {
      out.u[r][2] = -out.u[r][2];
      out.v[r][2] = -out.v[r][2];
    }
  }
  return out;
}

}  // namespace kasf::eval
