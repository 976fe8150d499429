#include "evaluation/kinematics/student_t.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace kasf::eval {
namespace {

// Continued fraction of I_x(a, b) * B(a, b) / (x^a (1-x)^b), converging for x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double x, double a, double b) {
  constexpr double tiny = 1e-300;
  // The fraction is 1 / (1 + d1 / (1 + d2 / (1 + ...))): start from 1 / (1 + d1).
  double c = 1, d = 1 / (1 - (a + b) * x / (a + 1)), result = d;
  // One Lentz step: folds the next partial numerator into the running convergent; returns its factor.
  auto step = [&](double numerator) {
    d = 1 + numerator * d;
    c = 1 + numerator / c;
    if (std::abs(d) < tiny) d = tiny;
    if (std::abs(c) < tiny) c = tiny;
    d = 1 / d;
    result *= c * d;
    return c * d;
  };
  for (int m = 1; m <= 1000; ++m) {
    step(m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)));
    if (std::abs(step(-(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))) - 1) < 1e-15) break;
  }
  return result;
}

}  // namespace

double regularized_incomplete_beta(double x, double a, double b) {
  if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1))
    throw std::invalid_argument("incomplete beta: x = " + std::to_string(x) + ", a = " + std::to_string(a) +
                                ", b = " + std::to_string(b));
  if (x == 0 || x == 1) return x;
  const double log_front = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  // Use the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges faster.
  if (x < (a + 1) / (a + b + 2)) return std::exp(log_front) * beta_continued_fraction(x, a, b) / a;
  return 1 - std::exp(log_front) * beta_continued_fraction(1 - x, b, a) / b;
}

double student_t_survival(double t, double df) {
  if (!(df > 0)) throw std::invalid_argument("t distribution: degrees of freedom " + std::to_string(df));
  const double tail = 0.5 * regularized_incomplete_beta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}

}  // namespace kasf::eval
