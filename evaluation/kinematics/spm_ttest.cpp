#include "evaluation/kinematics/spm_ttest.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

namespace kasf::eval {
namespace {

// t curve of differences whose signs are flipped by `signs` (+1/-1 per pair).
std::vector<double> t_curve(const Curves& d, const std::vector<int>& signs) {
  const double j = static_cast<double>(d.count);
  std::vector<double> t(d.nodes);
  for (int64_t q = 0; q < d.nodes; ++q) {
    double mean = 0;
    for (int64_t k = 0; k < d.count; ++k) mean += signs[k] * d.at(k, q) / j;
    double variance = 0;
    for (int64_t k = 0; k < d.count; ++k) variance += std::pow(signs[k] * d.at(k, q) - mean, 2) / (j - 1);
    t[q] = variance > 0 ? mean / std::sqrt(variance / j) : 0.0;
  }
  return t;
}

double max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::abs(x));
  return m;
}

// The (1 - alpha) quantile of max |t| over sign-flipped differences.
double permutation_threshold(const Curves& d, const SpmOptions& options) {
  std::vector<double> maxima;
  std::vector<int> signs(d.count, 1);
  if (d.count <= 12) {
    for (uint64_t pattern = 0; pattern < (uint64_t{1} << d.count); ++pattern) {
      for (int64_t k = 0; k < d.count; ++k) signs[k] = (pattern >> k) & 1 ? -1 : 1;
      maxima.push_back(max_abs(t_curve(d, signs)));
    }
  } else {
    if (options.permutations < 1) throw std::invalid_argument("spm: permutations must be >= 1");
    std::mt19937_64 generator(options.seed);
    for (int64_t p = 0; p < options.permutations; ++p) {
      for (int& s : signs) s = generator() & 1 ? -1 : 1;
      maxima.push_back(max_abs(t_curve(d, signs)));
    }
  }
  std::sort(maxima.begin(), maxima.end());
  const auto rank = static_cast<size_t>(std::ceil((1 - options.alpha) * static_cast<double>(maxima.size())));
  return maxima[std::clamp<size_t>(rank, 1, maxima.size()) - 1];
}

// Where between nodes q and q+1 the curve crosses level u, in nodes.
double crossing(const std::vector<double>& t, int64_t q, double u) {
  return static_cast<double>(q) + (u - t[q]) / (t[q + 1] - t[q]);
}

std::vector<SpmCluster> find_clusters(const std::vector<double>& t, double u) {
  std::vector<SpmCluster> clusters;
  const int64_t nodes = static_cast<int64_t>(t.size());
  for (int64_t q = 0; q < nodes;) {
    const double sign = t[q] > u ? 1 : (t[q] < -u ? -1 : 0);
    if (sign == 0) {
      ++q;
      continue;
    }
    SpmCluster c;
    c.first_node = q;
    while (q < nodes && sign * t[q] > u) {
      if (std::abs(t[q]) > std::abs(c.peak_t)) c.peak_t = t[q];
      ++q;
    }
    c.last_node = q - 1;
    c.start = c.first_node == 0 ? 0.0 : crossing(t, c.first_node - 1, sign * u);
    c.end = c.last_node == nodes - 1 ? static_cast<double>(nodes - 1) : crossing(t, c.last_node, sign * u);
    c.extent_percent = (c.end - c.start) / static_cast<double>(nodes - 1) * 100;
    clusters.push_back(c);
  }
  return clusters;
}

}  // namespace

SpmResult spm_paired_ttest(const Curves& a, const Curves& b, const SpmOptions& options) {
  if (a.count != b.count || a.nodes != b.nodes)
    throw std::invalid_argument("spm_paired_ttest: " + std::to_string(a.count) + " x " + std::to_string(a.nodes) +
                                " curves paired with " + std::to_string(b.count) + " x " + std::to_string(b.nodes));
  if (a.count < 2 || a.nodes < 2 || a.values.size() != static_cast<size_t>(a.count * a.nodes) ||
      b.values.size() != a.values.size())
    throw std::invalid_argument("spm_paired_ttest: needs at least 2 pairs of curves of >= 2 nodes with count x nodes values");
  if (!(options.alpha > 0 && options.alpha < 1)) throw std::invalid_argument("spm: alpha must lie in (0, 1)");

  Curves d{a.count, a.nodes, std::vector<double>(a.values.size())};
  for (size_t i = 0; i < d.values.size(); ++i) d.values[i] = a.values[i] - b.values[i];

  SpmResult result;
  result.df = static_cast<double>(d.count - 1);
  result.t = t_curve(d, std::vector<int>(d.count, 1));
  if (options.inference == SpmInference::random_field) {
    Curves residuals = d;
    for (int64_t q = 0; q < d.nodes; ++q) {
      double mean = 0;
      for (int64_t k = 0; k < d.count; ++k) mean += d.at(k, q) / static_cast<double>(d.count);
      for (int64_t k = 0; k < d.count; ++k) residuals.values[k * d.nodes + q] -= mean;
    }
    // Differences equal across all pairs (identical curves) give t = 0 everywhere and no field
    // whose smoothness could be estimated: no threshold, no cluster.
    if (std::all_of(residuals.values.begin(), residuals.values.end(), [](double r) { return r == 0; })) {
      result.fwhm = result.threshold = NAN;
      return result;
    }
    result.fwhm = estimate_fwhm(residuals);
    result.threshold = rft_t_threshold(options.alpha / 2, result.df, d.nodes, result.fwhm);
  } else {
    result.threshold = permutation_threshold(d, options);
  }
  result.clusters = find_clusters(result.t, result.threshold);
  result.significant = !result.clusters.empty();
  return result;
}

}  // namespace kasf::eval
