#include "evaluation/kinematics/agreement.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace kasf::eval {
namespace {

void check_pairs(std::span<const double> a, std::span<const double> b, const char* what) {
  if (a.size() != b.size())
    throw std::invalid_argument(std::string(what) + ": " + std::to_string(a.size()) + " estimated values against " +
                                std::to_string(b.size()) + " reference values");
  if (a.size() < 2) throw std::invalid_argument(std::string(what) + ": needs at least two pairs");
}

double mean(std::span<const double> v) {
  double sum = 0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

}  // namespace

double pearson_r(std::span<const double> estimate, std::span<const double> reference) {
  check_pairs(estimate, reference, "pearson_r");
  const double ma = mean(estimate), mb = mean(reference);
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < estimate.size(); ++i) {
    const double da = estimate[i] - ma, db = reference[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa == 0 || sbb == 0) return std::numeric_limits<double>::quiet_NaN();
  return sab / std::sqrt(saa * sbb);
}

double rmse(std::span<const double> estimate, std::span<const double> reference) {
  check_pairs(estimate, reference, "rmse");
  double sum = 0;
  for (size_t i = 0; i < estimate.size(); ++i) sum += (estimate[i] - reference[i]) * (estimate[i] - reference[i]);
  return std::sqrt(sum / static_cast<double>(estimate.size()));
}

}  // namespace kasf::eval
