#include "core/holdout.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vouch::core {
namespace {

// 30 of 100 activated promoters ordered again, 20 of 100 held out (worked by hand in
// docs/STATISTICS.md, "Holdout"): Wilson intervals [0.2189, 0.3958] and [0.1334, 0.2888];
// d = 0.10, low = 0.10 − √(0.0811² + 0.0888²) = −0.0202, high = 0.10 + √(0.0958² + 0.0666²) = 0.2167;
// pooled 0.25, se = √(0.25 · 0.75 · 0.02) = 0.06124, z = 1.633, p = 0.1025.
TEST(HoldoutStats, ShareDifferenceByHand) {
  auto d = CompareShares(30, 100, 20, 100);
  EXPECT_NEAR(d.difference, 0.10, 1e-12);
  EXPECT_NEAR(d.ci.low, -0.02025, 1e-4);
  EXPECT_NEAR(d.ci.high, 0.21673, 1e-4);
  EXPECT_NEAR(d.z, 1.63299, 1e-4);
  EXPECT_NEAR(d.p_value, 0.10247, 1e-4);
  EXPECT_FALSE(d.significant);
}

// 12 of 40 against 3 of 30: d = 0.20, interval [0.0035, 0.3676], z = 2.018, p = 0.0436.
TEST(HoldoutStats, ShareDifferenceSignificant) {
  auto d = CompareShares(12, 40, 3, 30);
  EXPECT_NEAR(d.difference, 0.20, 1e-12);
  EXPECT_NEAR(d.ci.low, 0.00347, 1e-4);
  EXPECT_NEAR(d.ci.high, 0.36759, 1e-4);
  EXPECT_NEAR(d.p_value, 0.04358, 1e-4);
  EXPECT_TRUE(d.significant);
  // Reversed, everything mirrors.
  auto r = CompareShares(3, 30, 12, 40);
  EXPECT_NEAR(r.ci.low, -0.36759, 1e-4);
  EXPECT_NEAR(r.ci.high, -0.00347, 1e-4);
  EXPECT_NEAR(r.p_value, d.p_value, 1e-12);
}

TEST(HoldoutStats, ShareDifferenceDegenerate) {
  auto empty = CompareShares(3, 10, 0, 0);
  EXPECT_EQ(empty.p_value, 1);
  EXPECT_EQ(empty.ci.low, -1);
  EXPECT_EQ(empty.ci.high, 1);
  EXPECT_FALSE(empty.significant);
  auto none = CompareShares(0, 10, 0, 20);  // nobody ordered again: se 0
  EXPECT_EQ(none.difference, 0);
  EXPECT_EQ(none.p_value, 1);
  EXPECT_FALSE(none.significant);
  EXPECT_LT(none.ci.low, 0);
  EXPECT_GT(none.ci.high, 0);
}

// a = {0, 10, 20, 30}: mean 15, s² = 500/3; b = {0, 0, 10, 10}: mean 5, s² = 100/3.
// se = √(500/12 + 100/12) = √50 = 7.0711; d = 10, interval 10 ± 1.96 · 7.0711 = [−3.859, 23.859];
// z = 10/√50 = √2, p = erfc(1) = 0.15730.
TEST(HoldoutStats, MeanDifferenceByHand) {
  auto d = CompareMeans({0, 10, 20, 30}, {0, 0, 10, 10});
  EXPECT_TRUE(d.defined);
  EXPECT_NEAR(d.difference, 10, 1e-12);
  EXPECT_NEAR(d.ci.low, 10 - 1.959963984540054 * std::sqrt(50.0), 1e-9);
  EXPECT_NEAR(d.ci.high, 23.859, 1e-3);
  EXPECT_NEAR(d.z, std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(d.p_value, 0.157299, 1e-6);
  EXPECT_FALSE(d.significant);
}

TEST(HoldoutStats, MeanDifferenceUndefined) {
  auto one = CompareMeans({5}, {1, 2, 3});
  EXPECT_FALSE(one.defined);
  EXPECT_NEAR(one.difference, 3, 1e-12);
  EXPECT_EQ(one.p_value, 1);
  auto flat = CompareMeans({4, 4}, {4, 4});
  EXPECT_FALSE(flat.defined);
  EXPECT_EQ(flat.p_value, 1);
}

TEST(HoldoutStats, DrawHoldsOutThePercent) {
  EXPECT_FALSE(HeldOut(0, 0));
  EXPECT_TRUE(HeldOut(0, 1));
  EXPECT_TRUE(HeldOut(99, 1));
  EXPECT_FALSE(HeldOut(100, 1));
  EXPECT_TRUE(HeldOut(4999, 50));
  EXPECT_FALSE(HeldOut(5000, 50));
  int held = 0;
  for (uint64_t i = 0; i < 100'000; ++i) held += HeldOut(i * 2654435761u, 20) ? 1 : 0;
  EXPECT_NEAR(held, 20'000, 600);
}

}  // namespace
}  // namespace vouch::core
