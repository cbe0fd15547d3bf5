// Referral generations: hand-worked walks and intervals (core/generations.h).
#include "core/generations.h"

#include <gtest/gtest.h>

namespace vouch::core {
namespace {

TEST(GenerationsTest, GenerationCountsHopsToACustomerNothingBrought) {
  // 1 -> 2 -> 3 -> 4; 5 alone.
  const ReferrerOf up{{2, 1}, {3, 2}, {4, 3}};
  EXPECT_EQ(GenerationOf(up, 1), 0);
  EXPECT_EQ(GenerationOf(up, 2), 1);
  EXPECT_EQ(GenerationOf(up, 4), 3);
  EXPECT_EQ(GenerationOf(up, 5), 0);
  EXPECT_EQ(GenerationOf(up, 4, 2), 2) << "deeper than the cap counts in the cap";
}

TEST(GenerationsTest, ACycleEndsAtTheCap) {
  const ReferrerOf up{{1, 2}, {2, 1}};
  EXPECT_EQ(GenerationOf(up, 1), kMaxGeneration);
}

TEST(GenerationsTest, DescendantsComeLevelByLevelOnceEach) {
  // 1 referred 2 and 3; 2 referred 4; 4 referred 1 (a cycle) and 5.
  const std::map<int64_t, std::vector<int64_t>> down{{1, {2, 3}}, {2, {4}}, {4, {1, 5}}};
  Descendants d = DescendantsOf(down, 1);
  ASSERT_EQ(d.levels.size(), 3u);
  EXPECT_EQ(d.levels[0], (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(d.levels[1], (std::vector<int64_t>{4}));
  EXPECT_EQ(d.levels[2], (std::vector<int64_t>{5}));
  EXPECT_FALSE(d.truncated) << "the way back to the root is not a descendant";
  Descendants shallow = DescendantsOf(down, 1, 1);
  ASSERT_EQ(shallow.levels.size(), 1u);
  EXPECT_TRUE(shallow.truncated);
  Descendants few = DescendantsOf(down, 1, kMaxGeneration, 2);
  ASSERT_EQ(few.levels.size(), 1u);
  EXPECT_TRUE(few.truncated);
  EXPECT_TRUE(DescendantsOf(down, 3).levels.empty());
}

TEST(GenerationsTest, DeepChainsAreWalkedWithoutRecursion) {
  std::map<int64_t, std::vector<int64_t>> down;
  ReferrerOf up;
  for (int64_t i = 0; i < 100000; ++i) {
    down[i] = {i + 1};
    up[i + 1] = i;
  }
  Descendants d = DescendantsOf(down, 0, 100000, 1000000);
  EXPECT_EQ(d.levels.size(), 100000u);
  EXPECT_EQ(GenerationOf(up, 100000, 1000000), 100000);
}

// Hand-worked: counts 0,1,2,3: mean 1.5, s^2 = 5/3, phi = 10/9; the score interval of
// x = 5.4 over n = 3.6: (5.4 + 1.9207 -+ 1.96 * sqrt(5.4 + 0.9604)) / 3.6 = [0.6605, 3.4066].
TEST(GenerationsTest, RateIntervalIsTheWidenedPoissonScoreInterval) {
  RateEstimate r = EstimateRate({0, 1, 2, 3});
  EXPECT_EQ(r.units, 4);
  EXPECT_EQ(r.events, 6);
  EXPECT_DOUBLE_EQ(r.rate, 1.5);
  EXPECT_NEAR(r.dispersion, 10.0 / 9.0, 1e-12);
  EXPECT_NEAR(r.low, 0.66049, 1e-4);
  EXPECT_NEAR(r.high, 3.40659, 1e-4);
  // Less spread than Poisson: phi stays 1, the plain score interval.
  RateEstimate even = EstimateRate({1, 1, 1, 1});
  EXPECT_EQ(even.dispersion, 1.0);
  EXPECT_NEAR(even.low, 0.38888, 1e-4);
  EXPECT_NEAR(even.high, 2.57148, 1e-4);
  // One promoter brought all four: phi = 4, much wider.
  RateEstimate lumpy = EstimateRate({0, 0, 0, 4});
  EXPECT_NEAR(lumpy.low, 0.17652, 1e-4);
  EXPECT_NEAR(lumpy.high, 5.66493, 1e-4);
  // Nobody referred anyone: [0, z^2/n].
  RateEstimate none = EstimateRate({0, 0, 0, 0, 0});
  EXPECT_EQ(none.low, 0.0);
  EXPECT_NEAR(none.high, 0.76829, 1e-4);
  RateEstimate empty = EstimateRate({});
  EXPECT_EQ(empty.units, 0);
  EXPECT_EQ(empty.high, 0.0);
}

}  // namespace
}  // namespace vouch::core
