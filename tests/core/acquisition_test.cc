#include "core/acquisition.h"

#include <gtest/gtest.h>

#include <random>

namespace vouch::core {
namespace {

// Wilson (1927) by hand: 5 of 20 → [0.1119, 0.4687]; 0 of 10 → [0, 0.2775]; 10 of 10 →
// [0.7225, 1].
TEST(ProportionIntervalTest, WilsonHandWorked) {
  const Bounds a = ProportionInterval(5, 20);
  EXPECT_NEAR(a.low, 0.111862, 1e-6);
  EXPECT_NEAR(a.high, 0.468701, 1e-6);
  const Bounds none = ProportionInterval(0, 10);
  EXPECT_DOUBLE_EQ(none.low, 0.0);
  EXPECT_NEAR(none.high, 0.277533, 1e-6);
  const Bounds all = ProportionInterval(10, 10);
  EXPECT_NEAR(all.low, 0.722467, 1e-6);
  EXPECT_NEAR(all.high, 1.0, 1e-12);
  const Bounds empty = ProportionInterval(0, 0);
  EXPECT_DOUBLE_EQ(empty.low, 0.0);
  EXPECT_DOUBLE_EQ(empty.high, 1.0);
}

// 1..5: mean 3, s = 1.5811, se = 0.7071 → 3 ± 1.3859.
TEST(EstimateMeanTest, NormalIntervalHandWorked) {
  const MeanEstimate m = EstimateMean({1, 2, 3, 4, 5});
  EXPECT_EQ(m.n, 5);
  EXPECT_DOUBLE_EQ(m.mean, 3.0);
  EXPECT_NEAR(m.ci.low, 1.614096, 1e-6);
  EXPECT_NEAR(m.ci.high, 4.385904, 1e-6);
  const MeanEstimate one = EstimateMean({7});
  EXPECT_DOUBLE_EQ(one.ci.low, 7.0);
  EXPECT_DOUBLE_EQ(one.ci.high, 7.0);
  EXPECT_EQ(EstimateMean({}).n, 0);
}

TEST(BootstrapCostDifferenceTest, SameSeedSameIntervalAndNoneWithoutCustomers) {
  const std::vector<double> costs = {800, 1200, 1000, 950, 1500, 700};
  auto a = BootstrapCostDifference(costs, 60000, 30, 42);
  auto b = BootstrapCostDifference(costs, 60000, 30, 42);
  ASSERT_TRUE(a && b);
  EXPECT_DOUBLE_EQ(a->ci.low, b->ci.low);
  EXPECT_DOUBLE_EQ(a->ci.high, b->ci.high);
  EXPECT_NEAR(a->program, 1025.0, 1e-9);
  EXPECT_NEAR(a->campaign, 2000.0, 1e-9);
  EXPECT_NEAR(a->difference, -975.0, 1e-9);
  EXPECT_LT(a->ci.low, a->difference);
  EXPECT_GT(a->ci.high, a->difference);
  EXPECT_FALSE(BootstrapCostDifference({}, 60000, 30, 42));
  EXPECT_FALSE(BootstrapCostDifference(costs, 60000, 0, 42));
}

// A program at 10.00 per new customer against a campaign at 50.00 (10,000 over 200): the whole
// interval lies below zero, around −40.
TEST(BootstrapCostDifferenceTest, ARealDifferenceExcludesZero) {
  const std::vector<double> costs(200, 1000.0);
  auto d = BootstrapCostDifference(costs, 1'000'000, 200, 7);
  ASSERT_TRUE(d);
  EXPECT_NEAR(d->difference, -4000.0, 1e-9);
  EXPECT_LT(d->ci.high, 0.0);
  EXPECT_LT(d->ci.low, -4000.0);
  EXPECT_GT(d->ci.high, -4000.0);
}

// Simulation with a fixed seed: when program and campaign cost the same per new customer, the
// 95% interval holds the true difference (0) in about 95% of repeated shops.
TEST(BootstrapCostDifferenceTest, CoversTheTrueDifferenceInSimulation) {
  std::mt19937_64 rng(2026);
  std::exponential_distribution<double> cost(1.0 / 1000.0);  // mean 10.00 per new customer
  std::poisson_distribution<int64_t> campaign_new(60.0);     // 600.00 spent for 60 on average
  constexpr int kShops = 200;
  int covered = 0;
  for (int i = 0; i < kShops; ++i) {
    std::vector<double> costs(60);
    for (auto& c : costs) c = cost(rng);
    const int64_t n = campaign_new(rng);
    auto d = BootstrapCostDifference(costs, 60'000, n, static_cast<uint64_t>(i), 500);
    ASSERT_TRUE(d);
    covered += (d->ci.low <= 0 && 0 <= d->ci.high) ? 1 : 0;
  }
  EXPECT_GE(covered, 180) << covered << " of " << kShops;  // 95% ± sampling noise
  EXPECT_LE(covered, 199) << "an interval that always covers says nothing";
}

}  // namespace
}  // namespace vouch::core
