// code_max_uses and the existing-customer check under concurrent orders on two nodes (issue 12's
// item in issue 11's room): two stores on one database, SQLite and PostgreSQL, orders with one
// code racing on both; never more qualified referrals than the code's uses, never two for one
// buyer; approvals from the review queue racing orders take the same lock.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "app/promoter_fixture.h"

namespace vouch::app {
namespace {

class ConcurrencyTest : public PromoterFixture {
 protected:
  // Runs `n` orders on two nodes (this App and another on its own store) at once; returns how
  // many of their referrals qualified.
  int Race(int n, const std::function<OrderInput(int)>& order_of) {
    auto other_store = store::OpenStore(db_->url());
    EXPECT_TRUE(other_store.ok()) << other_store.error().message;
    if (!other_store.ok()) return -1;
    App other(**other_store, clock_, config_, "test-secret");
    std::atomic<int> qualified{0}, failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < n; ++t) {
      threads.emplace_back([&, t] {
        App& app = t % 2 == 0 ? *app_ : other;
        auto r = app.ingest().Order(shop_, order_of(t));
        if (!r.ok()) {
          ++failed;
          ADD_FAILURE() << r.error().message;
        } else if (r->referral && r->referral->decision == core::Decision::kQualified) {
          ++qualified;
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failed.load(), 0);
    return qualified.load();
  }

  int64_t Uses() {
    auto code = store_->Read<std::optional<store::ReferralCode>>(
        [&](store::ReadTx& tx) { return tx.referrals().FindCode(shop_.id, code_); });
    EXPECT_TRUE(code.ok() && code->has_value());
    return code.ok() && code->has_value() ? (*code)->uses : -1;
  }
};

TEST_P(ConcurrencyTest, MaxUsesHoldsAcrossTwoNodes) {
  auto conn = db_->Connect();
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  ASSERT_TRUE((*conn)->Exec("UPDATE referral_codes SET max_uses = 3").ok());
  const int qualified =
      Race(10, [&](int t) { return Friend("f-" + std::to_string(t), "friend" + std::to_string(t)); });
  EXPECT_EQ(qualified, 3);
  EXPECT_EQ(Uses(), 3);
  EXPECT_EQ(JobsOf(store::JobKind::kRewardRelease).size(), 3u) << "one held reward per qualified referral";
}

TEST_P(ConcurrencyTest, OneBuyerRacingOrdersIsReferredOnce) {
  // bob's orders are placed a second apart but arrive in any order on either node.
  const Instant start = clock_.Now();
  const int qualified = Race(8, [&](int t) {
    OrderInput o = Friend("b-" + std::to_string(t), "bob");
    o.created_at = start + std::chrono::seconds{t};
    return o;
  });
  EXPECT_EQ(qualified, 1);
  EXPECT_EQ(Uses(), 1);
}

TEST_P(ConcurrencyTest, ApprovalsRacingOrdersNeverPassMaxUses) {
  // Four referrals wait in the review queue (throwaway mailboxes); then, on two nodes at once,
  // each is approved while four clean orders with the same code arrive: max uses 3 holds.
  auto conn = db_->Connect();
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  ASSERT_TRUE((*conn)->Exec("UPDATE referral_codes SET max_uses = 3").ok());
  std::vector<store::Id> pending;
  for (int i = 0; i < 4; ++i) {
    OrderInput o = Friend("q-" + std::to_string(i), "queued" + std::to_string(i));
    o.customer.email = "queued" + std::to_string(i) + "@yopmail.com";
    auto r = Refer(o);
    ASSERT_TRUE(r && r->decision == core::Decision::kPendingReview);
    pending.push_back(r->referral_id);
  }
  auto other_store = store::OpenStore(db_->url());
  ASSERT_TRUE(other_store.ok()) << other_store.error().message;
  App other(**other_store, clock_, config_, "test-secret");
  std::atomic<int> approved{0}, used_up{0}, qualified{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      App& app = t % 2 == 0 ? *app_ : other;
      if (t < 4) {
        auto r = app.referrals().Approve(shop_, pending[static_cast<size_t>(t)]);
        if (r.ok()) {
          ++approved;
        } else if (r.error().code == Code::kFailedPrecondition) {
          ++used_up;
        } else {
          ++failed;
          ADD_FAILURE() << r.error().message;
        }
      } else {
        auto r = app.ingest().Order(shop_, Friend("o-" + std::to_string(t), "clean" + std::to_string(t)));
        if (!r.ok()) {
          ++failed;
          ADD_FAILURE() << r.error().message;
        } else if (r->referral && r->referral->decision == core::Decision::kQualified) {
          ++qualified;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(approved.load() + qualified.load(), 3) << "approvals and orders share the code's 3 uses";
  EXPECT_EQ(approved.load() + used_up.load(), 4);
  EXPECT_EQ(Uses(), 3);
  EXPECT_EQ(JobsOf(store::JobKind::kRewardRelease).size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Stores, ConcurrencyTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
