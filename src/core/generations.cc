#include "core/generations.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace vouch::core {
namespace {

constexpr double kZ = 1.959963984540054;  // two-sided 95% normal quantile

}  // namespace

int GenerationOf(const ReferrerOf& referrer_of, int64_t customer, int max_generation) {
  int generation = 0;
  int64_t at = customer;
  while (generation < max_generation) {
    auto it = referrer_of.find(at);
    if (it == referrer_of.end()) return generation;
    at = it->second;
    ++generation;
  }
  return max_generation;  // this deep or deeper, or a cycle
}

Descendants DescendantsOf(const std::map<int64_t, std::vector<int64_t>>& children_of, int64_t root,
                          int max_depth, size_t max_nodes) {
  Descendants out;
  std::set<int64_t> seen{root};
  std::vector<int64_t> frontier{root};
  size_t nodes = 0;
  for (int depth = 0; !frontier.empty(); ++depth) {
    std::vector<int64_t> next;
    for (int64_t parent : frontier) {
      auto it = children_of.find(parent);
      if (it == children_of.end()) continue;
      for (int64_t child : it->second) {
        if (!seen.insert(child).second) continue;  // a cycle, or met twice
        if (depth >= max_depth || nodes >= max_nodes) {
          out.truncated = true;
          continue;
        }
        next.push_back(child);
        ++nodes;
      }
    }
    if (next.empty()) break;
    out.levels.push_back(next);
    frontier = std::move(next);
  }
  return out;
}

RateEstimate EstimateRate(const std::vector<int64_t>& counts) {
  RateEstimate r;
  r.units = static_cast<int64_t>(counts.size());
  if (counts.empty()) return r;
  for (int64_t c : counts) r.events += c;
  const double n = static_cast<double>(r.units);
  const double x = static_cast<double>(r.events);
  r.rate = x / n;
  if (counts.size() >= 2 && r.rate > 0) {
    double ss = 0;
    for (int64_t c : counts) ss += (static_cast<double>(c) - r.rate) * (static_cast<double>(c) - r.rate);
    r.dispersion = std::max(1.0, ss / (n - 1) / r.rate);
  }
  // Score interval of a Poisson count xe over ne units: the rates lambda with
  // (xe - ne*lambda)^2 = z^2 * ne*lambda.
  const double xe = x / r.dispersion;
  const double ne = n / r.dispersion;
  const double z2 = kZ * kZ;
  const double half = kZ * std::sqrt(xe + z2 / 4);
  r.low = std::max(0.0, (xe + z2 / 2 - half) / ne);
  r.high = (xe + z2 / 2 + half) / ne;
  return r;
}

}  // namespace vouch::core
