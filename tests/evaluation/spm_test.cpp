// The SPM paired t-test: t curve, FWHM and random-field threshold against numpy/scipy values and a
// Monte-Carlo simulation (scripts/make_spm_reference.py), the permutation alternative, clusters.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <random>
#include <stdexcept>

#include "evaluation/kinematics/spm_ttest.h"
#include "evaluation/kinematics/student_t.h"
#include "reference_file.h"

namespace kasf::eval {
namespace {

Curves curves_from(const test::Record& r) {
  const auto count = static_cast<int64_t>(r.values[0]), nodes = static_cast<int64_t>(r.values[1]);
  return {count, nodes, std::vector<double>(r.values.begin() + 2, r.values.end())};
}

BOOST_AUTO_TEST_SUITE(spm)

BOOST_AUTO_TEST_CASE(t_survival_matches_scipy) {
  const auto records = test::records_named("t_survival");
  BOOST_REQUIRE(records.size() >= 20u);
  for (const auto& r : records)
    BOOST_TEST(student_t_survival(r.values[1], r.values[0]) == r.values[2], boost::test_tools::tolerance(1e-10));
}

BOOST_AUTO_TEST_CASE(rft_threshold_matches_the_scipy_reference) {
  for (const auto& r : test::records_named("rft_threshold")) {
    const double u = rft_t_threshold(r.values[3] / 2, r.values[0], static_cast<int64_t>(r.values[1]), r.values[2]);
    BOOST_TEST(u == r.values[4], boost::test_tools::tolerance(1e-8));
  }
}

BOOST_AUTO_TEST_CASE(rft_threshold_agrees_with_monte_carlo_fields) {
  // The expected-Euler-characteristic approximation slightly overestimates the tail of the field
  // maximum, so RFT thresholds lie a little above the simulated quantile: published 1-D validations
  // and our simulation show < 1 % for FWHM >= 10 nodes and about 4 % for very rough fields (FWHM 5,
  // df 7). Allow 3 Monte-Carlo standard errors below and 5 % above.
  const auto simulated = test::records_named("mc_threshold");
  BOOST_REQUIRE(simulated.size() == 4u);
  for (const auto& r : simulated) {
    const double u = rft_t_threshold(r.values[3] / 2, r.values[0], static_cast<int64_t>(r.values[1]), r.values[2]);
    const double u_mc = r.values[4], se = r.values[5];
    BOOST_TEST(u >= u_mc - 3 * se);
    BOOST_TEST(u <= u_mc * 1.05);
  }
}

BOOST_AUTO_TEST_CASE(paired_test_matches_numpy) {
  const Curves a = curves_from(test::first_record("curves_a"));
  const Curves b = curves_from(test::first_record("curves_b"));
  const SpmResult result = spm_paired_ttest(a, b);
  const auto& t = test::first_record("t_curve").values;
  BOOST_REQUIRE(result.t.size() == t.size());
  for (size_t q = 0; q < t.size(); ++q) BOOST_TEST(result.t[q] == t[q], boost::test_tools::tolerance(1e-9));
  BOOST_TEST(result.df == 11.0);
  BOOST_TEST(result.fwhm == test::first_record("fwhm").values[0], boost::test_tools::tolerance(1e-9));
  // The last rft_threshold record is this data set's.
  BOOST_TEST(result.threshold == test::records_named("rft_threshold").back().values[4], boost::test_tools::tolerance(1e-8));
  // b has a bump at 60 % of the curve, so t is strongly negative there.
  BOOST_REQUIRE(result.significant);
  bool found = false;
  for (const SpmCluster& c : result.clusters)
    if (c.start < 60 && c.end > 60) {
      found = true;
      BOOST_TEST(c.peak_t < -result.threshold);
      BOOST_TEST(c.extent_percent > 0.0);
    }
  BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(clusters_by_hand) {
  // Two pairs with identical differences except in sign pattern: t is exactly known when the
  // differences per node are {m + e, m - e}: mean m, sd e * sqrt(2), t = m / e.
  const int64_t nodes = 11;
  Curves a{2, nodes, std::vector<double>(2 * nodes, 0.0)}, b = a;
  const double means[nodes] = {0, 0, 50, 120, 120, 50, 0, 0, -90, -90, 0};
  for (int64_t q = 0; q < nodes; ++q) {
    a.values[q] = means[q] + 10;
    a.values[nodes + q] = means[q] - 10;
  }
  SpmOptions options;
  options.inference = SpmInference::permutation;  // two pairs: all 4 sign patterns
  const SpmResult r = spm_paired_ttest(a, b, options);
  BOOST_TEST(r.t[3] == 12.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(r.t[8] == -9.0, boost::test_tools::tolerance(1e-12));
  // With 4 equally likely patterns the 95 % quantile of max |t| is the largest: 12.
  BOOST_TEST(r.threshold == 12.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(r.clusters.empty());

  // Six pairs with the same spread {-5, -3, -1, 1, 3, 5} around the node means: t = m / (sd / sqrt 6)
  // is 0 where m = 0 and above 30 in absolute value elsewhere, far beyond any sign-flipped maximum,
  // so the clusters are exactly the nodes with m > 0 (2..5) and with m < 0 (8..9).
  Curves six_a{6, nodes, {}}, six_b{6, nodes, std::vector<double>(6 * nodes, 0.0)};
  for (int k = 0; k < 6; ++k)
    for (int64_t q = 0; q < nodes; ++q) six_a.values.push_back(means[q] + 2.0 * k - 5);
  const SpmResult r6 = spm_paired_ttest(six_a, six_b, options);
  BOOST_TEST(r6.t[2] == 50 / (std::sqrt(70.0 / 5) / std::sqrt(6.0)), boost::test_tools::tolerance(1e-9));
  BOOST_TEST(r6.threshold < 10.0);
  BOOST_REQUIRE(r6.clusters.size() == 2u);
  BOOST_TEST(r6.clusters[0].first_node == 2);
  BOOST_TEST(r6.clusters[0].last_node == 5);
  BOOST_TEST(r6.clusters[0].start > 1.0);
  BOOST_TEST(r6.clusters[0].start < 2.0);
  BOOST_TEST(r6.clusters[0].peak_t == r6.t[3]);
  BOOST_TEST(r6.clusters[1].first_node == 8);
  BOOST_TEST(r6.clusters[1].last_node == 9);
  BOOST_TEST(r6.clusters[1].peak_t < 0.0);
  BOOST_TEST(r6.clusters[1].extent_percent == (r6.clusters[1].end - r6.clusters[1].start) * 10, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(permutation_and_random_field_thresholds_agree_on_smooth_noise) {
  // Smooth null data: both thresholds estimate the same 95 % quantile of max |t|.
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal;
  const int64_t count = 16, nodes = 101;
  Curves a{count, nodes, {}}, b{count, nodes, std::vector<double>(count * nodes, 0.0)};
  for (int64_t j = 0; j < count; ++j) {
    std::vector<double> white(nodes + 60);
    for (double& w : white) w = normal(rng);
    for (int64_t q = 0; q < nodes; ++q) {
      double v = 0;
      for (int k = -30; k <= 30; ++k) v += white[q + 30 + k] * std::exp(-0.5 * k * k / (5.0 * 5.0));
      a.values.push_back(v);
    }
  }
  SpmOptions permutation;
  permutation.inference = SpmInference::permutation;
  permutation.permutations = 4000;
  const double u_rft = spm_paired_ttest(a, b).threshold;
  const double u_perm = spm_paired_ttest(a, b, permutation).threshold;
  BOOST_TEST(std::abs(u_perm - u_rft) / u_rft < 0.15);
}

BOOST_AUTO_TEST_CASE(identical_curves_give_no_threshold_and_no_cluster) {
  // A perfect estimate: every difference is zero.
  Curves a{4, 11, {}};
  for (int i = 0; i < 44; ++i) a.values.push_back(std::sin(0.3 * i));
  const SpmResult result = spm_paired_ttest(a, a);
  BOOST_TEST(std::isnan(result.threshold));
  BOOST_TEST(result.clusters.empty());
  BOOST_TEST(!result.significant);
  BOOST_TEST(result.t == std::vector<double>(11, 0.0), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(bad_input) {
  Curves a{3, 10, std::vector<double>(30, 1.0)}, b{2, 10, std::vector<double>(20, 1.0)};
  BOOST_CHECK_THROW(spm_paired_ttest(a, b), std::invalid_argument);
  Curves one{1, 10, std::vector<double>(10, 1.0)};
  BOOST_CHECK_THROW(spm_paired_ttest(one, one), std::invalid_argument);
  BOOST_CHECK_THROW(rft_t_threshold(0.0, 5, 101, 10), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::eval
