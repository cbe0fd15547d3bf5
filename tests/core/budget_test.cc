#include "core/budget.h"

#include <gtest/gtest.h>

namespace vouch::core {
namespace {

TEST(BudgetTest, AMessageOverTheBudgetIsRefused) {
  const MessageBudget three{3, 30};
  EXPECT_FALSE(OverBudget(three, 0));
  EXPECT_FALSE(OverBudget(three, 2));
  EXPECT_TRUE(OverBudget(three, 3));
  EXPECT_TRUE(OverBudget(three, 7));
}

TEST(BudgetTest, ZeroMessagesMeansNoBudget) { EXPECT_FALSE(OverBudget(MessageBudget{0, 30}, 1000)); }

TEST(BudgetTest, TheWindowIsTheLastBudgetDays) {
  const Instant now = FromUnixMillis(1'795'600'000'000);
  EXPECT_EQ(BudgetWindowStart(MessageBudget{3, 30}, now), now - std::chrono::days{30});
  EXPECT_EQ(BudgetWindowStart(MessageBudget{3, 1}, now), now - std::chrono::days{1});
}

}  // namespace
}  // namespace vouch::core
