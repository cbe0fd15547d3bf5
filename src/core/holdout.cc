#include "core/holdout.h"

#include <cmath>
#include <numeric>

namespace vouch::core {
namespace {

constexpr double kZ95 = 1.959963984540054;  // the two-sided 95% normal quantile
constexpr double kAlpha = 0.05;

double TwoSidedP(double z) { return std::erfc(std::fabs(z) / std::sqrt(2.0)); }

struct Moments {
  double n = 0, mean = 0, var = 0;  // var: the sample variance (n − 1)
};

Moments MomentsOf(const std::vector<double>& xs) {
  Moments m;
  m.n = static_cast<double>(xs.size());
  if (xs.empty()) return m;
  m.mean = std::accumulate(xs.begin(), xs.end(), 0.0) / m.n;
  if (xs.size() < 2) return m;
  double ss = 0;
  for (double x : xs) ss += (x - m.mean) * (x - m.mean);
  m.var = ss / (m.n - 1);
  return m;
}

}  // namespace

bool HeldOut(uint64_t draw, int64_t percent) {
  if (percent <= 0) return false;
  return static_cast<int64_t>(draw % 10000) < percent * 100;
}

ShareDifference CompareShares(int64_t ka, int64_t na, int64_t kb, int64_t nb) {
  ShareDifference d;
  if (na <= 0 || nb <= 0) return d;
  const double pa = static_cast<double>(ka) / static_cast<double>(na);
  const double pb = static_cast<double>(kb) / static_cast<double>(nb);
  d.difference = pa - pb;
  const Bounds a = ProportionInterval(ka, na);
  const Bounds b = ProportionInterval(kb, nb);
  d.ci.low = d.difference - std::sqrt((pa - a.low) * (pa - a.low) + (b.high - pb) * (b.high - pb));
  d.ci.high = d.difference + std::sqrt((a.high - pa) * (a.high - pa) + (pb - b.low) * (pb - b.low));
  const double pooled = static_cast<double>(ka + kb) / static_cast<double>(na + nb);
  const double se =
      std::sqrt(pooled * (1 - pooled) * (1 / static_cast<double>(na) + 1 / static_cast<double>(nb)));
  if (se <= 0) return d;
  d.z = d.difference / se;
  d.p_value = TwoSidedP(d.z);
  d.significant = d.p_value < kAlpha;
  return d;
}

MeanDifference CompareMeans(const std::vector<double>& a, const std::vector<double>& b) {
  MeanDifference d;
  const Moments ma = MomentsOf(a), mb = MomentsOf(b);
  d.difference = ma.mean - mb.mean;
  d.ci = {d.difference, d.difference};
  if (a.size() < 2 || b.size() < 2) return d;
  const double se = std::sqrt(ma.var / ma.n + mb.var / mb.n);
  if (se <= 0) return d;
  d.defined = true;
  d.ci = {d.difference - kZ95 * se, d.difference + kZ95 * se};
  d.z = d.difference / se;
  d.p_value = TwoSidedP(d.z);
  d.significant = d.p_value < kAlpha;
  return d;
}

}  // namespace vouch::core
