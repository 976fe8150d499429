// Statistical parametric mapping: the paired t-test on 1-D curves (AthletePose3D t_test.py, which
// uses spm1d.stats.ttest_paired), two-tailed, with the critical threshold from random field theory
// or from a sign-flip permutation test.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "evaluation/kinematics/random_field.h"

namespace kasf::eval {

enum class SpmInference { random_field, permutation };

struct SpmOptions {
  double alpha = 0.05;  // two-tailed
  SpmInference inference = SpmInference::random_field;
  // Permutation: every sign pattern when the pairs number at most 12 (2^12 patterns), otherwise
  // this many random ones drawn from `seed`.
  int64_t permutations = 10000;
  uint64_t seed = 0;
};

// A run of nodes where |t| exceeds the threshold with one sign.
struct SpmCluster {
  int64_t first_node = 0, last_node = 0;  // inclusive
  // Where the t curve crosses the threshold, linearly interpolated between nodes (in nodes; the
  // curve's ends when the cluster touches them).
  double start = 0, end = 0;
  double extent_percent = 0;  // (end - start) / (nodes - 1) * 100
  double peak_t = 0;          // largest |t| in the cluster, with its sign
};

struct SpmResult {
  std::vector<double> t;  // one value per node
  double df = 0;          // pairs - 1
  double fwhm = 0;        // of the residuals, in nodes (random field inference)
  double threshold = 0;   // critical |t|
  bool significant = false;
  std::vector<SpmCluster> clusters;  // in node order
};

// t(q) = mean_j d_j(q) / (sd_j d_j(q) / sqrt(J)) over the differences d_j = a_j - b_j of J paired
// curves. Throws std::invalid_argument when the curve sets differ in shape or J < 2; nodes where the
// differences have zero variance give t = 0 (no evidence either way). With random field inference,
// differences of zero variance at every node leave fwhm and threshold NaN and no cluster.
SpmResult spm_paired_ttest(const Curves& a, const Curves& b, const SpmOptions& options = {});

}  // namespace kasf::eval
