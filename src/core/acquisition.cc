#include "core/acquisition.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace vouch::core {
namespace {

constexpr double kZ = 1.959963984540054;  // two-sided 95% normal quantile

// The q-quantile (0…1) of sorted values, linear between neighbours.
double Quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

}  // namespace

Bounds ProportionInterval(int64_t k, int64_t n) {
  if (n <= 0) return {0, 1};
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(k) / nn;
  const double z2 = kZ * kZ;
  const double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
  const double half = kZ * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

MeanEstimate EstimateMean(const std::vector<double>& xs) {
  MeanEstimate m;
  m.n = static_cast<int64_t>(xs.size());
  if (xs.empty()) return m;
  m.mean = std::accumulate(xs.begin(), xs.end(), 0.0) / static_cast<double>(xs.size());
  m.ci = {m.mean, m.mean};
  if (xs.size() < 2) return m;
  double ss = 0;
  for (double x : xs) ss += (x - m.mean) * (x - m.mean);
  const double se =
      std::sqrt(ss / static_cast<double>(xs.size() - 1)) / std::sqrt(static_cast<double>(xs.size()));
  m.ci = {m.mean - kZ * se, m.mean + kZ * se};
  return m;
}

std::optional<CostDifference> BootstrapCostDifference(const std::vector<double>& program_costs,
                                                      double campaign_cost, int64_t campaign_new_customers,
                                                      uint64_t seed, int resamples) {
  if (program_costs.empty() || campaign_new_customers <= 0 || resamples < 2) return std::nullopt;
  CostDifference d;
  d.program = std::accumulate(program_costs.begin(), program_costs.end(), 0.0) /
              static_cast<double>(program_costs.size());
  d.campaign = campaign_cost / static_cast<double>(campaign_new_customers);
  d.difference = d.program - d.campaign;
  d.resamples = resamples;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<size_t> pick(0, program_costs.size() - 1);
  std::poisson_distribution<int64_t> count(static_cast<double>(campaign_new_customers));
  std::vector<double> diffs;
  diffs.reserve(static_cast<size_t>(resamples));
  for (int i = 0; i < resamples; ++i) {
    double sum = 0;
    for (size_t j = 0; j < program_costs.size(); ++j) sum += program_costs[pick(rng)];
    int64_t n = 0;
    while (n == 0) n = count(rng);
    diffs.push_back(sum / static_cast<double>(program_costs.size()) - campaign_cost / static_cast<double>(n));
  }
  std::sort(diffs.begin(), diffs.end());
  d.ci = {Quantile(diffs, 0.025), Quantile(diffs, 0.975)};
  return d;
}

}  // namespace vouch::core
