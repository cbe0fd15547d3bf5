#pragma once
// The statistics of the holdout (issue 16): activated promoters against held-out ones, a share's
// difference and a mean's difference, each with its 95% interval and a two-sided test. Pure
// functions; docs/STATISTICS.md ("Holdout") gives each method with a worked example.
#include <cstdint>
#include <vector>

#include "core/acquisition.h"

namespace vouch::core {

// Whether a promoter is held out: `draw` is any 64-bit number drawn for them (app/holdout.h keys
// it); its value modulo 10000 below percent × 100 holds them out, so `percent` (0…100) of all draws
// do. percent 0: never.
bool HeldOut(uint64_t draw, int64_t percent);

// a − b for two shares ka/na and kb/nb (0…1 scale).
//
// The interval is Newcombe's hybrid score interval (Newcombe 1998, method 10), built from each
// share's Wilson interval [lᵢ, uᵢ]: d = pa − pb, low = d − √((pa − la)² + (ub − pb)²),
// high = d + √((ua − pa)² + (pb − lb)²). The test is the pooled two-proportion z-test:
// p̂ = (ka + kb)/(na + nb), se = √(p̂(1 − p̂)(1/na + 1/nb)), z = d/se, p = erfc(|z|/√2). Near 0.05
// the two may disagree (they are different approximations); `significant` is the test's.
// A group without members, or se = 0 (both shares 0 or both 1): p 1, not significant, and with a
// group empty the interval is [−1, 1].
struct ShareDifference {
  double difference = 0;
  Bounds ci{-1, 1};
  double z = 0;
  double p_value = 1;
  bool significant = false;
};
ShareDifference CompareShares(int64_t ka, int64_t na, int64_t kb, int64_t nb);

// mean(a) − mean(b) with Welch's standard error se = √(s²a/na + s²b/nb) (sᵢ the sample standard
// deviations) and the normal approximation: interval d ± 1.96·se, z = d/se, p = erfc(|z|/√2)
// (Welch 1947; for the sample sizes a holdout needs the t quantile is within 1 % of 1.96).
// `defined` is false when a group has fewer than two values or se = 0: then p 1, not
// significant, and the interval is the difference itself.
struct MeanDifference {
  double difference = 0;
  Bounds ci;
  double z = 0;
  double p_value = 1;
  bool significant = false;
  bool defined = false;
};
MeanDifference CompareMeans(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace vouch::core
