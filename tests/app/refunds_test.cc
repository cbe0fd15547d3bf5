// Refunds and cancellations of orders (issue 11), on every store: idempotent per refund id, the
// referral's net revenue, and the reward voided or clawed back when the order no longer earns it.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "app/promoter_fixture.h"
#include "support/test_db.h"

namespace vouch::app {
namespace {

using std::chrono::days;
using std::chrono::seconds;
using test::TestDb;
using Strings = std::vector<std::string>;

class RefundsTest : public PromoterFixture {};

TEST_P(RefundsTest, APartialRefundLowersTheReferredRevenueAndKeepsTheReward) {
  auto r = Refer(Friend("f-1", "bob"));
  ASSERT_TRUE(r && r->status == core::ReferralVerdict::kQualified);
  auto change = app_->orders().Refund(shop_, "f-1", "re-1", "20.00");
  ASSERT_TRUE(change.ok()) << change.error().message;
  EXPECT_TRUE(change->created);
  EXPECT_EQ(change->order.refunded_minor, 2000);
  ASSERT_TRUE(change->referral.has_value());
  EXPECT_EQ(change->referral->revenue_minor, 10000);
  ASSERT_TRUE(change->reward.has_value());
  EXPECT_EQ(change->reward->status, store::RewardStatus::kHeld);
  auto promoters = app_->reports().Promoters(shop_.id, Start() - days{1}, clock_.Now() + days{1}, 10);
  ASSERT_TRUE(promoters.ok() && !promoters->empty());
  EXPECT_EQ((*promoters)[0].revenue_minor, 10000);
}

TEST_P(RefundsTest, TheSameRefundTwiceCountsOnce) {
  ASSERT_TRUE(Refer(Friend("f-1", "bob")));
  auto first = app_->orders().Refund(shop_, "f-1", "re-1", "20.00");
  ASSERT_TRUE(first.ok());
  auto again = app_->orders().Refund(shop_, "f-1", "re-1", "20");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->order.refunded_minor, 2000);
  EXPECT_EQ(again->referral->revenue_minor, 10000);
  // The same id with another amount is a mistake the shop must hear about.
  auto other = app_->orders().Refund(shop_, "f-1", "re-1", "30.00");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, Code::kAlreadyExists);
  EXPECT_EQ(other.error().field, "refund_id");
}

TEST_P(RefundsTest, AFullRefundAfterTheReleaseClawsTheRewardBack) {
  SettingsPatch no_hold;
  no_hold.reward_hold_seconds = 0;
  Set(no_hold);
  auto r = Refer(Friend("f-1", "bob"));
  ASSERT_TRUE(r && !r->reward_code.empty());
  ASSERT_TRUE(app_->orders().Refund(shop_, "f-1", "re-1", "100.00").ok());
  EXPECT_EQ(RewardOf(r->referral_id).status, store::RewardStatus::kReleased);
  auto rest = app_->orders().Refund(shop_, "f-1", "re-2", "20.00");
  ASSERT_TRUE(rest.ok()) << rest.error().message;
  EXPECT_EQ(rest->referral->revenue_minor, 0);
  ASSERT_TRUE(rest->reward.has_value());
  EXPECT_EQ(rest->reward->status, store::RewardStatus::kClawedBack);
  EXPECT_EQ(rest->reward->reverse_reason, "refunded");
  EXPECT_TRUE(rest->reward->reversed_at.has_value());
  EXPECT_EQ(Ledger(), (Strings{"earned:qualified referral", "released:no hold", "clawed_back:refunded",
                               "voucher_voided:unused at the clawback"}));
  // Once reversed, more refunds and a cancellation add no entry.
  ASSERT_TRUE(app_->orders().Cancel(shop_, "f-1").ok());
  EXPECT_EQ(Ledger().size(), 4u);
}

TEST_P(RefundsTest, MoreThanIsLeftIsRefused) {
  ASSERT_TRUE(Refer(Friend("f-1", "bob")));
  ASSERT_TRUE(app_->orders().Refund(shop_, "f-1", "re-1", "100.00").ok());
  auto over = app_->orders().Refund(shop_, "f-1", "re-2", "20.01");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, Code::kInvalidArgument);
  EXPECT_EQ(over.error().field, "amount");
  for (const char* bad : {"0", "-5", "1.234", "ten"}) {
    auto r = app_->orders().Refund(shop_, "f-1", std::string("re-") + bad, bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "amount") << bad;
  }
  EXPECT_EQ(app_->orders().Refund(shop_, "f-1", "", "1.00").error().field, "refund_id");
  EXPECT_EQ(app_->orders().Refund(shop_, "nope", "re-9", "1.00").error().code, Code::kNotFound);
  // Nothing of the refused calls was stored.
  auto order = store_->Read<std::optional<store::Order>>(
      [&](store::ReadTx& tx) { return tx.orders().Find(shop_.id, "f-1"); });
  ASSERT_TRUE(order.ok() && order->has_value());
  EXPECT_EQ((*order)->refunded_minor, 10000);
}

TEST_P(RefundsTest, BelowTheMinimumOrderValueTheRewardIsLost) {
  SettingsPatch p;
  p.reward_min_order = 5000;
  Set(p);
  auto r = Refer(Friend("f-1", "bob"));
  ASSERT_TRUE(r && !r->reward_code.empty());
  auto still = app_->orders().Refund(shop_, "f-1", "re-1", "70.00");  // net 50.00: still earns it
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->reward->status, store::RewardStatus::kHeld);
  auto below = app_->orders().Refund(shop_, "f-1", "re-2", "0.01");
  ASSERT_TRUE(below.ok());
  EXPECT_EQ(below->referral->revenue_minor, 4999);
  EXPECT_EQ(below->reward->status, store::RewardStatus::kVoided);
  EXPECT_EQ(below->reward->reverse_reason, "below_min_order");
}

TEST_P(RefundsTest, ACancellationTakesTheRewardBackOnce) {
  auto r = Refer(Friend("f-1", "bob"));
  ASSERT_TRUE(r && !r->reward_code.empty());
  auto c = app_->orders().Cancel(shop_, "f-1");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_TRUE(c->created);
  EXPECT_TRUE(c->order.cancelled_at.has_value());
  EXPECT_EQ(c->referral->revenue_minor, 0);
  EXPECT_EQ(c->reward->status, store::RewardStatus::kVoided);
  EXPECT_EQ(c->reward->reverse_reason, "cancelled");
  clock_.Advance(seconds{5});
  auto again = app_->orders().Cancel(shop_, "f-1");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->order.cancelled_at, c->order.cancelled_at);
  EXPECT_EQ(Ledger(), (Strings{"earned:qualified referral", "held:return window", "voided:cancelled"}));
}

TEST_P(RefundsTest, AnOrderWithoutAReferralIsRefundedAlone) {
  ASSERT_TRUE(app_->ingest().Order(shop_, SampleOrder("o-1", "carl", clock_.Now())).ok());
  auto c = app_->orders().Refund(shop_, "o-1", "re-1", "59.90");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->order.refunded_minor, 5990);
  EXPECT_FALSE(c->referral.has_value());
  EXPECT_FALSE(c->reward.has_value());
}

TEST_P(RefundsTest, AnotherShopsOrderIsNotFound) {
  ASSERT_TRUE(Refer(Friend("f-1", "bob")));
  auto other = app_->shops().Create("Other", "https://other.example");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(app_->orders().Refund(other->shop, "f-1", "re-1", "1.00").error().code, Code::kNotFound);
  EXPECT_EQ(app_->orders().Cancel(other->shop, "f-1").error().code, Code::kNotFound);
}

// Two nodes on one database (two stores, two Apps), several requests each, all for the same
// refund: it is counted once and the reward is taken back once.
TEST_P(RefundsTest, TwoNodesRecordingOneRefundCountItOnce) {
  auto r = Refer(Friend("f-1", "bob"));
  ASSERT_TRUE(r && !r->reward_code.empty());
  auto other_store = store::OpenStore(db_->url());
  ASSERT_TRUE(other_store.ok()) << other_store.error().message;
  App other(**other_store, clock_, config_, "test-secret");
  std::atomic<int> created{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      App& app = t % 2 == 0 ? *app_ : other;
      auto c = app.orders().Refund(shop_, "f-1", "re-1", "120.00");
      if (!c.ok()) {
        ++failed;
      } else if (c->created) {
        ++created;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(created.load(), 1);
  auto order = store_->Read<std::optional<store::Order>>(
      [&](store::ReadTx& tx) { return tx.orders().Find(shop_.id, "f-1"); });
  ASSERT_TRUE(order.ok() && order->has_value());
  EXPECT_EQ((*order)->refunded_minor, 12000);
  EXPECT_EQ(Ledger(), (Strings{"earned:qualified referral", "held:return window", "voided:refunded"}));
}

// Two different full refunds racing on two nodes: one is refused, never more than the total.
TEST_P(RefundsTest, RacingRefundsNeverExceedTheTotal) {
  ASSERT_TRUE(Refer(Friend("f-1", "bob")));
  auto other_store = store::OpenStore(db_->url());
  ASSERT_TRUE(other_store.ok()) << other_store.error().message;
  App other(**other_store, clock_, config_, "test-secret");
  std::atomic<int> created{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      App& app = t % 2 == 0 ? *app_ : other;
      auto c = app.orders().Refund(shop_, "f-1", "re-" + std::to_string(t), "120.00");
      if (!c.ok()) {
        EXPECT_EQ(c.error().field, "amount");
        ++refused;
      } else if (c->created) {
        ++created;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(refused.load(), 5);
  auto order = store_->Read<std::optional<store::Order>>(
      [&](store::ReadTx& tx) { return tx.orders().Find(shop_.id, "f-1"); });
  ASSERT_TRUE(order.ok() && order->has_value());
  EXPECT_EQ((*order)->refunded_minor, 12000);
}

INSTANTIATE_TEST_SUITE_P(Stores, RefundsTest, ::testing::ValuesIn(TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
