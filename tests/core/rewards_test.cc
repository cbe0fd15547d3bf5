// The reward rules of core/rewards.h: what refunds and cancellations do to a referred order's reward.
#include "core/rewards.h"

#include <gtest/gtest.h>

namespace vouch::core {
namespace {

TEST(RewardRules, NetRevenueIsTheTotalLessRefundsAndNothingOnceCancelled) {
  EXPECT_EQ(NetRevenue(12000, 0, false), 12000);
  EXPECT_EQ(NetRevenue(12000, 2000, false), 10000);
  EXPECT_EQ(NetRevenue(12000, 13000, false), 0);
  EXPECT_EQ(NetRevenue(12000, 0, true), 0);
}

TEST(RewardRules, AFullRefundOrACancellationLosesTheReward) {
  EXPECT_EQ(JudgeOrderChange(12000, 0, false, 0), RewardLoss::kNone);
  EXPECT_EQ(JudgeOrderChange(12000, 11999, false, 0), RewardLoss::kNone);
  EXPECT_EQ(JudgeOrderChange(12000, 12000, false, 0), RewardLoss::kRefunded);
  EXPECT_EQ(JudgeOrderChange(12000, 0, true, 0), RewardLoss::kCancelled);
  EXPECT_EQ(JudgeOrderChange(12000, 12000, true, 0), RewardLoss::kCancelled);
}

TEST(RewardRules, APartialRefundBelowTheMinimumLosesIt) {
  EXPECT_EQ(JudgeOrderChange(12000, 7000, false, 5000), RewardLoss::kNone);  // net 50.00
  EXPECT_EQ(JudgeOrderChange(12000, 7001, false, 5000), RewardLoss::kBelowMinOrder);
  // No refund: the minimum is the attribution's business, not a refund's.
  EXPECT_EQ(JudgeOrderChange(3000, 0, false, 5000), RewardLoss::kNone);
  EXPECT_STREQ(RewardLossName(RewardLoss::kBelowMinOrder), "below_min_order");
  EXPECT_STREQ(RewardLossName(RewardLoss::kRefunded), "refunded");
  EXPECT_STREQ(RewardLossName(RewardLoss::kCancelled), "cancelled");
}

TEST(RewardRules, TheMonthIsTheUtcCalendarMonth) {
  const MonthSpan dec = UtcMonthOf(FromUnixMillis(1'796'083'200'000));  // 2026-12-01T00:00:00Z
  EXPECT_EQ(FormatRfc3339(dec.from), "2026-12-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(dec.to), "2027-01-01T00:00:00Z");
  const MonthSpan before = UtcMonthOf(FromUnixMillis(1'796'083'199'999));
  EXPECT_EQ(FormatRfc3339(before.from), "2026-11-01T00:00:00Z");
  EXPECT_EQ(before.to, dec.from);
}

TEST(RewardRules, TheCapCountsRewardsAlreadyEarned) {
  EXPECT_TRUE(WithinMonthlyCap(100, 0));
  EXPECT_TRUE(WithinMonthlyCap(2, 3));
  EXPECT_FALSE(WithinMonthlyCap(3, 3));
}

TEST(RewardRules, TheHoldEndsSecondsAfterTheOrder) {
  const Instant t = FromUnixMillis(1'796'083'200'000);
  EXPECT_EQ(HoldEnds(t, 1209600), t + std::chrono::days{14});
  EXPECT_EQ(HoldEnds(t, 5), t + std::chrono::seconds{5});
  EXPECT_EQ(HoldEnds(t, 0), t);
  EXPECT_EQ(HoldEnds(t, -3), t);
}

}  // namespace
}  // namespace vouch::core
