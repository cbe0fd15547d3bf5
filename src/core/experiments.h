#pragma once
// Offer experiments (issue 16): which variant a promoter gets, and the sequential test that
// judges the variants while the shop looks at the results every day. Pure functions; the
// method and its reference are in docs/STATISTICS.md ("Offer experiments").
//
// The test is the mixture sequential probability ratio test (mSPRT) of Johari, Koomen, Pekelis
// & Walsh ("Peeking at A/B tests", KDD 2017) for a difference of two means with a normal
// mixing distribution N(0, τ²): at each look it gives an always-valid p-value (the running
// minimum of 1/Λ over the looks) and the matching confidence sequence, so stopping at the first
// look that crosses keeps the error rate at α however often one looks. Each variant is compared
// with the first (the control); with k challengers α is split k ways (Bonferroni).
#include <cstdint>
#include <optional>
#include <vector>

namespace vouch::core {

// Which of `variants` (1…4) variant a customer gets in an experiment: a hash of both ids
// (SplitMix64 finaliser), so the same promoter always lands in the same variant and the split
// is even and independent of the order promoters arrive in. 0 when variants < 1.
int AssignVariant(int64_t experiment_id, int64_t customer_id, int variants);

// One arm's observations at a look, kept as sums so looks can be built incrementally.
struct ArmSummary {
  int64_t n = 0;
  double sum = 0;
  double sum_sq = 0;
  void Add(double x) {
    ++n;
    sum += x;
    sum_sq += x * x;
  }
  double Mean() const { return n > 0 ? sum / static_cast<double>(n) : 0; }
  // The sample variance (n − 1 denominator); 0 below two observations.
  double Variance() const;
};

struct SequentialParams {
  double alpha = 0.05;        // the error rate over the whole experiment
  double minimum_effect = 0;  // δ > 0: the smallest difference worth acting on, metric units
  std::optional<double> tau;  // the mixing standard deviation; default δ
  int64_t min_per_arm = 10;   // no decision before every arm has this many promoters
};

// A challenger against the control at one look: difference = challenger − control, its
// always-valid confidence sequence at level 1 − α/k and the always-valid p-value (the running
// minimum over the looks so far).
struct ArmComparison {
  int variant = 0;  // the challenger's index (1…)
  double difference = 0;
  double ci_low = 0;
  double ci_high = 0;
  double p_value = 1;
};

// One look, without history: Λ = √(V/(V+τ²))·exp(τ²θ̂²/(2V(V+τ²))) with θ̂ the difference of
// means and V = s²_c/n_c + s²_t/n_t; p = min(1, 1/Λ); the interval θ̂ ± √(V(V+τ²)/τ² ·
// (2 ln(1/α) + ln((V+τ²)/V))). V = 0 (no spread yet): p = 1 and an unbounded interval
// (±infinity).
ArmComparison CompareLook(const ArmSummary& control, const ArmSummary& challenger, double tau, double alpha);

enum class ExperimentDecision { kRunning, kWinner, kFutility };
const char* ExperimentDecisionName(ExperimentDecision d);

struct SequentialResult {
  ExperimentDecision decision = ExperimentDecision::kRunning;
  int winner = -1;      // kWinner: the variant's index (0 is the control)
  int decided_at = -1;  // the look that decided, or -1
  int looks = 0;        // looks evaluated
  // Each challenger against the control at the deciding look (or the last look while running),
  // p-values as running minima up to it.
  std::vector<ArmComparison> comparisons;
};

// Walks the looks in order (looks[i][v]: variant v's summary at look i; every look has the same
// number of arms, at least two) and stops at the first look where
// - a challenger's p-value ≤ α/k with the challenger ahead: winner = the challenger ahead by
//   most among those (a significant one);
// - every challenger is significantly behind the control: winner = the control;
// - every challenger's interval lies inside (−δ, δ): futility (no variant differs by δ or
//   more).
// A look where some arm has fewer than min_per_arm promoters decides nothing (its p-values
// still enter the running minima). Without looks: running with no comparisons.
SequentialResult RunSequentialTest(const std::vector<std::vector<ArmSummary>>& looks,
                                   const SequentialParams& params);

}  // namespace vouch::core
