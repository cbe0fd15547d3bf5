#pragma once
// Referral generations (issue 16): who brought whom. A customer whose first order came through a
// promoter's code is that promoter's child; the promoter's own generation is 0 when nothing
// brought them, else one more than their referrer's. Walks are iterative, bounded in depth and
// guarded against cycles (which the order of events rules out, but imported data may not), and
// the viral coefficient's interval is a closed form. Pure functions; docs/STATISTICS.md gives the
// method.
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

namespace vouch::core {

// Generations deeper than this are counted in it ("this deep or deeper").
inline constexpr int kMaxGeneration = 10;

// child -> the promoter who referred them (each customer has at most one: their first order's).
using ReferrerOf = std::map<int64_t, int64_t>;

// The customer's generation: the number of referral hops up to a customer nothing brought,
// capped at `max_generation`; a cycle counts as the cap.
int GenerationOf(const ReferrerOf& referrer_of, int64_t customer, int max_generation = kMaxGeneration);

// A promoter's descendants, level by level (levels[0] the friends they referred themselves),
// breadth first, each customer at most once (a cycle back to a visited customer ends there), at
// most `max_depth` levels and `max_nodes` customers; `truncated` when either bound cut it short.
struct Descendants {
  std::vector<std::vector<int64_t>> levels;
  bool truncated = false;
};
Descendants DescendantsOf(const std::map<int64_t, std::vector<int64_t>>& children_of, int64_t root,
                          int max_depth = kMaxGeneration, size_t max_nodes = 2000);

// Referrals per promoter (the viral coefficient of one generation) with a 95% interval: the
// Poisson score interval (Barker 2002) for the rate x/n, widened for over-dispersion by the
// quasi-Poisson factor phi = max(1, s^2 / mean) of the per-promoter counts (McCullagh & Nelder
// 1989): the interval of a count x/phi over n/phi units. n = 0: everything 0.
struct RateEstimate {
  int64_t units = 0;   // promoters
  int64_t events = 0;  // referred new customers
  double rate = 0;
  double low = 0;
  double high = 0;
  double dispersion = 1;  // phi
};
RateEstimate EstimateRate(const std::vector<int64_t>& counts_per_unit);

}  // namespace vouch::core
