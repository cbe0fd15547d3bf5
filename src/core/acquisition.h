#pragma once
// The statistics of comparing acquisition channels (the referral program against paid
// campaigns, issue 16): a rate's interval, a mean's interval, and the bootstrap interval of the
// difference in cost per new customer. Pure functions; docs/STATISTICS.md gives each method.
#include <cstdint>
#include <optional>
#include <vector>

namespace vouch::core {

// A 95% interval.
struct Bounds {
  double low = 0;
  double high = 0;
};

// k of n, as a proportion 0…1, with the Wilson score interval (Wilson 1927). n = 0: [0, 1].
Bounds ProportionInterval(int64_t k, int64_t n);

// A sample's mean with the normal 95% interval mean ± 1.96·s/√n (s the sample standard
// deviation). Fewer than two values: the interval is the mean itself (nothing to say more).
struct MeanEstimate {
  int64_t n = 0;
  double mean = 0;
  Bounds ci;
};
MeanEstimate EstimateMean(const std::vector<double>& xs);

// Cost per new customer of the program against a campaign, program − campaign, with a 95%
// percentile bootstrap interval (Efron & Tibshirani 1993):
// - the program's cost is a sum over its new customers (the reward and the friend's discount
//   each one cost), so a resample draws its new customers with replacement;
// - a campaign's cost is fixed and its count of new customers is what varies: a resample draws
//   that count from a Poisson distribution with the observed mean; a draw of 0 (cost per new
//   customer undefined) is drawn again.
// Deterministic for a seed. nullopt when either side has no new customers.
struct CostDifference {
  double program = 0;  // cost per new customer, minor units
  double campaign = 0;
  double difference = 0;  // program − campaign
  Bounds ci;
  int resamples = 0;
};
std::optional<CostDifference> BootstrapCostDifference(const std::vector<double>& program_costs,
                                                      double campaign_cost, int64_t campaign_new_customers,
                                                      uint64_t seed, int resamples = 2000);

}  // namespace vouch::core
