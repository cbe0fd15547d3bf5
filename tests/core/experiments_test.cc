#include "core/experiments.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace vouch::core {
namespace {

ArmSummary Arm(int64_t n, double mean, double variance) {
  ArmSummary a;
  a.n = n;
  a.sum = mean * static_cast<double>(n);
  a.sum_sq = variance * static_cast<double>(n - 1) + static_cast<double>(n) * mean * mean;
  return a;
}

TEST(AssignVariantTest, DeterministicAndEven) {
  EXPECT_EQ(AssignVariant(7, 12345, 3), AssignVariant(7, 12345, 3));
  EXPECT_EQ(AssignVariant(7, 12345, 1), 0);
  EXPECT_EQ(AssignVariant(7, 12345, 0), 0);
  int counts[4] = {0, 0, 0, 0};
  for (int64_t c = 1; c <= 40000; ++c) ++counts[AssignVariant(7, c, 4)];
  for (int v : counts) EXPECT_NEAR(v, 10000, 400) << "each of 4 variants gets about a quarter";
  // Another experiment splits the same customers independently of this one.
  int same = 0;
  for (int64_t c = 1; c <= 10000; ++c) same += AssignVariant(7, c, 2) == AssignVariant(8, c, 2);
  EXPECT_NEAR(same, 5000, 300);
}

TEST(ArmSummaryTest, MeanAndVariance) {
  ArmSummary a;
  for (double x : {1.0, 2.0, 3.0, 4.0, 5.0}) a.Add(x);
  EXPECT_DOUBLE_EQ(a.Mean(), 3.0);
  EXPECT_NEAR(a.Variance(), 2.5, 1e-12);
  ArmSummary one;
  one.Add(4);
  EXPECT_DOUBLE_EQ(one.Variance(), 0.0);
}

// By hand: means 0.3 and 0.5, variances 0.33 and 0.55, 100 each, τ = 0.1, α = 0.05:
// V = 0.0088, ln Λ = ½ln(0.0088/0.0188) + 0.01·0.04/(2·0.0088·0.0188) = 0.829345, p = 0.436335,
// interval 0.2 ± 0.334188. With 400 each: V = 0.0022, ln Λ = 6.595076, p = 0.001367.
TEST(CompareLookTest, HandWorked) {
  const ArmComparison c = CompareLook(Arm(100, 0.3, 0.33), Arm(100, 0.5, 0.55), 0.1, 0.05);
  EXPECT_NEAR(c.difference, 0.2, 1e-12);
  EXPECT_NEAR(c.p_value, 0.436335, 1e-6);
  EXPECT_NEAR(c.ci_low, -0.134188, 1e-6);
  EXPECT_NEAR(c.ci_high, 0.534188, 1e-6);
  const ArmComparison more = CompareLook(Arm(400, 0.3, 0.33), Arm(400, 0.5, 0.55), 0.1, 0.05);
  EXPECT_NEAR(more.p_value, 0.001367, 1e-6);
  EXPECT_GT(more.ci_low, 0.0) << "p below α and an interval excluding 0 go together";
  // No spread yet: nothing can be said.
  const ArmComparison flat = CompareLook(Arm(20, 0, 0), Arm(20, 0, 0), 0.1, 0.05);
  EXPECT_DOUBLE_EQ(flat.p_value, 1.0);
  EXPECT_TRUE(std::isinf(flat.ci_low));
}

TEST(RunSequentialTest, PValueIsARunningMinimumAndTheDecisionSticks) {
  SequentialParams p;
  p.minimum_effect = 0.1;
  // Look 0: a significant lead; look 1: the lead gone. The test stops at look 0.
  std::vector<std::vector<ArmSummary>> looks = {{Arm(400, 0.3, 0.33), Arm(400, 0.5, 0.55)},
                                                {Arm(800, 0.4, 0.33), Arm(800, 0.4, 0.55)}};
  SequentialResult r = RunSequentialTest(looks, p);
  EXPECT_EQ(r.decision, ExperimentDecision::kWinner);
  EXPECT_EQ(r.winner, 1);
  EXPECT_EQ(r.decided_at, 0);
  // Too few promoters per arm: nothing decided, but the p-value is kept.
  p.min_per_arm = 500;
  r = RunSequentialTest(looks, p);
  EXPECT_EQ(r.decision, ExperimentDecision::kRunning);
  ASSERT_EQ(r.comparisons.size(), 1u);
  EXPECT_NEAR(r.comparisons[0].p_value, 0.001367, 1e-6) << "the running minimum over the looks";
  EXPECT_NEAR(r.comparisons[0].difference, 0.0, 1e-12) << "the last look's difference";
}

TEST(RunSequentialTest, ControlWinsWhenEveryChallengerIsBehind) {
  SequentialParams p;
  p.minimum_effect = 0.1;
  const SequentialResult r =
      RunSequentialTest({{Arm(400, 0.5, 0.55), Arm(400, 0.3, 0.33), Arm(400, 0.2, 0.3)}}, p);
  EXPECT_EQ(r.decision, ExperimentDecision::kWinner);
  EXPECT_EQ(r.winner, 0);
  ASSERT_EQ(r.comparisons.size(), 2u);
}

// A day's look: each arm gains `per_day` promoters whose referred orders are Poisson.
std::vector<std::vector<ArmSummary>> Simulate(std::mt19937_64& rng, const std::vector<double>& rates,
                                              int days, int per_day) {
  std::vector<std::vector<ArmSummary>> looks;
  std::vector<ArmSummary> arms(rates.size());
  for (int d = 0; d < days; ++d) {
    for (size_t v = 0; v < rates.size(); ++v) {
      std::poisson_distribution<int> draw(rates[v]);
      for (int i = 0; i < per_day; ++i) arms[v].Add(draw(rng));
    }
    looks.push_back(arms);
  }
  return looks;
}

// 200 experiments with a true effect (0.30 against 0.45 referred orders per promoter, 20 new
// promoters per arm a day, looked at daily for 120 days): the challenger is found in nearly all,
// and never the control.
TEST(RunSequentialTest, SimulatedTrueEffectIsFound) {
  std::mt19937_64 rng(20261205);
  SequentialParams p;
  p.minimum_effect = 0.1;
  int found = 0, wrong = 0;
  for (int i = 0; i < 200; ++i) {
    const auto r = RunSequentialTest(Simulate(rng, {0.30, 0.45}, 120, 20), p);
    found += r.decision == ExperimentDecision::kWinner && r.winner == 1;
    wrong += r.decision == ExperimentDecision::kWinner && r.winner == 0;
  }
  EXPECT_GE(found, 190);
  EXPECT_EQ(wrong, 0);
}

// 400 experiments without an effect (0.4 in both arms), peeked at daily: a winner is declared
// in at most α of them (5 %, with binomial slack: ≤ 30 of 400), and the rest stop for futility
// (no difference of 0.1 or more) by day 120.
TEST(RunSequentialTest, SimulatedNoEffectStopsForFutilityAtTheStatedErrorRate) {
  std::mt19937_64 rng(4242);
  SequentialParams p;
  p.minimum_effect = 0.1;
  int winners = 0, futile = 0;
  for (int i = 0; i < 400; ++i) {
    const auto r = RunSequentialTest(Simulate(rng, {0.4, 0.4}, 120, 20), p);
    winners += r.decision == ExperimentDecision::kWinner;
    futile += r.decision == ExperimentDecision::kFutility;
  }
  EXPECT_LE(winners, 30);
  EXPECT_GE(futile, 360);
}

// Three variants, the third better: it wins under the Bonferroni split.
TEST(RunSequentialTest, SimulatedThreeVariants) {
  std::mt19937_64 rng(99);
  SequentialParams p;
  p.minimum_effect = 0.1;
  int third = 0;
  for (int i = 0; i < 100; ++i) {
    const auto r = RunSequentialTest(Simulate(rng, {0.3, 0.3, 0.5}, 120, 20), p);
    third += r.decision == ExperimentDecision::kWinner && r.winner == 2;
  }
  EXPECT_GE(third, 95);
}

}  // namespace
}  // namespace vouch::core
