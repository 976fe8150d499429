// Student's t distribution, for the p-values and thresholds of the SPM t-test.
#pragma once

namespace kasf::eval {

// P(T > t) for T ~ t(df), df > 0: 0.5 * I_{df / (df + t^2)}(df / 2, 1 / 2) for t >= 0, with the
// regularised incomplete beta function evaluated by its continued fraction (modified Lentz).
double student_t_survival(double t, double df);

// I_x(a, b), the regularised incomplete beta function, for 0 <= x <= 1 and a, b > 0.
double regularized_incomplete_beta(double x, double a, double b);

}  // namespace kasf::eval
