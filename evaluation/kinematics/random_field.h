// Random field theory for 1-D t fields (Worsley et al. 1996; Kiebel et al. 1999), the inference
// behind spm1d's paired t-test. Curves are sampled at `nodes` equally spaced points.
#pragma once
#include <cstdint>
#include <vector>

namespace kasf::eval {

// A set of equally sampled curves: count x nodes values, row-major.
struct Curves {
  int64_t count = 0;
  int64_t nodes = 0;
  std::vector<double> values;

  double at(int64_t curve, int64_t node) const { return values[curve * nodes + node]; }
};

// Smoothness of the residual curves, as a full width at half maximum in nodes: with r_j the
// residuals and r_j' their derivative along the curve (central differences, one-sided at the ends),
// lambda(q) = sum_j r_j'(q)^2 / sum_j r_j(q)^2 at each node; the resel density is
// sqrt(lambda / (4 ln 2)) and FWHM = 1 / (its mean over nodes). Nodes with no variance are skipped.
double estimate_fwhm(const Curves& residuals);

// P(max over the curve of a t(df) field > u) by the expected Euler characteristic of the
// excursion set: sf_t(u) + (nodes - 1) / fwhm * sqrt(4 ln 2) / (2 pi) * (1 + u^2 / df)^(-(df - 1) / 2),
// capped by the Bonferroni bound nodes * sf_t(u) (tighter for very rough fields) and by 1.
double rft_t_max_survival(double u, double df, int64_t nodes, double fwhm);

// The u with rft_t_max_survival(u) = alpha (one tail), by bisection; for a two-tailed test at
// level alpha pass alpha / 2.
double rft_t_threshold(double alpha, double df, int64_t nodes, double fwhm);

}  // namespace kasf::eval
