// The reward ledger (issue 11), on every store: a reward is held through the shop's return
// window and released by the workers' job (only then is it mailed), voided when its order is
// refunded while held, clawed back when refunded after, capped per promoter and month; a refund
// racing the release takes one step only.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "app/promoter_fixture.h"
#include "jobs/worker.h"
#include "support/test_db.h"

namespace vouch::app {
namespace {

using std::chrono::days;
using std::chrono::seconds;
using test::TestDb;
using Strings = std::vector<std::string>;

// Counts the reward mails it is given (by their Message-ID) and accepts every message.
class CountingSender final : public delivery::Sender {
 public:
  explicit CountingSender(std::shared_ptr<std::atomic<int>> rewards) : rewards_(std::move(rewards)) {}
  core::Channel channel() const override { return core::Channel::kEmail; }
  delivery::SendResult Send(const delivery::Message& m) override {
    if (delivery::MessageIdOf(m).starts_with("<vouch.reward.")) ++*rewards_;
    return {delivery::SendOutcome::kSent, "250 ok"};
  }

 private:
  std::shared_ptr<std::atomic<int>> rewards_;
};

class RewardsTest : public PromoterFixture {
 protected:
  void SetUp() override {
    PromoterFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    worker_ = std::make_unique<jobs::Worker>(*app_, nullptr, jobs::WorkerOptions{});
    senders_.Set(std::make_unique<CountingSender>(reward_mails_));
  }

  // Runs the workers until nothing is due.
  void Work() {
    for (int i = 0; i < 10 && worker_->RunOnce(senders_) > 0; ++i) {
    }
  }

  int64_t FunnelRewards() {
    auto f = app_->reports().Funnel(shop_.id, Start() - days{1}, clock_.Now() + days{1});
    EXPECT_TRUE(f.ok());
    return f.ok() ? f->rewards : -1;
  }

  std::shared_ptr<std::atomic<int>> reward_mails_ = std::make_shared<std::atomic<int>>(0);
  delivery::Senders senders_;
  std::unique_ptr<jobs::Worker> worker_;
};

TEST_P(RewardsTest, AHeldRewardIsReleasedAndMailedOnlyWhenTheWindowEnds) {
  const Instant ordered = clock_.Now();
  auto r = Refer(Friend("f-1", "bob"));
  ASSERT_TRUE(r && r->status == core::ReferralVerdict::kQualified);
  EXPECT_FALSE(r->reward_code.empty());
  store::Reward w = RewardOf(r->referral_id);
  EXPECT_EQ(w.status, store::RewardStatus::kHeld);
  ASSERT_TRUE(w.hold_until.has_value());
  EXPECT_EQ(*w.hold_until, ordered + days{14});
  EXPECT_TRUE(JobsOf(store::JobKind::kReward).empty());
  ASSERT_EQ(JobsOf(store::JobKind::kRewardRelease).size(), 1u);

  Work();
  clock_.Advance(days{14} - seconds{1});
  Work();
  EXPECT_EQ(reward_mails_->load(), 0);
  EXPECT_EQ(RewardOf(r->referral_id).status, store::RewardStatus::kHeld);
  EXPECT_EQ(FunnelRewards(), 0) << "a held reward costs the shop nothing yet";

  clock_.Advance(seconds{1});
  Work();
  EXPECT_EQ(reward_mails_->load(), 1);
  w = RewardOf(r->referral_id);
  EXPECT_EQ(w.status, store::RewardStatus::kReleased);
  EXPECT_EQ(w.released_at, clock_.Now());
  EXPECT_EQ(Ledger(), (Strings{"earned:qualified referral", "held:return window", "released:hold ended"}));
  EXPECT_EQ(FunnelRewards(), 1);
  clock_.Advance(days{1});
  Work();
  EXPECT_EQ(reward_mails_->load(), 1) << "released once, mailed once";
}

TEST_P(RewardsTest, ARefundWhileHeldVoidsTheRewardAndNothingIsMailed) {
  auto r = Refer(Friend("f-1", "bob"));
  ASSERT_TRUE(r && !r->reward_code.empty());
  clock_.Advance(days{2});
  auto c = app_->orders().Refund(shop_, "f-1", "re-1", "120.00");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->reward->status, store::RewardStatus::kVoided);
  clock_.Advance(days{13});
  Work();
  EXPECT_EQ(reward_mails_->load(), 0);
  auto skipped = app_->outbox().List(shop_.id, store::JobStatus::kSkipped, 10);
  ASSERT_TRUE(skipped.ok());
  ASSERT_EQ(skipped->size(), 1u);
  EXPECT_EQ((*skipped)[0].kind, store::JobKind::kRewardRelease);
  EXPECT_EQ((*skipped)[0].last_error, "reward voided");
  EXPECT_EQ(Ledger(), (Strings{"earned:qualified referral", "held:return window", "voided:refunded"}));
  EXPECT_EQ(FunnelRewards(), 0);
}

TEST_P(RewardsTest, ARefundAfterTheReleaseClawsTheRewardBack) {
  auto r = Refer(Friend("f-1", "bob"));
  ASSERT_TRUE(r && !r->reward_code.empty());
  clock_.Advance(days{15});
  Work();
  ASSERT_EQ(reward_mails_->load(), 1);
  auto c = app_->orders().Cancel(shop_, "f-1");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->reward->status, store::RewardStatus::kClawedBack);
  EXPECT_EQ(Ledger(), (Strings{"earned:qualified referral", "held:return window", "released:hold ended",
                               "clawed_back:cancelled", "voucher_voided:unused at the clawback"}));
  EXPECT_TRUE(c->reward->voucher_voided_at.has_value());
  EXPECT_EQ(FunnelRewards(), 0) << "a clawed back reward is no cost";
  Work();
  EXPECT_EQ(reward_mails_->load(), 1) << "the promoter is told nothing negative";
}

// A refund on one node while another releases the reward: one of the two steps wins, never both,
// and a reward clawed back before its mail went out is not mailed.
TEST_P(RewardsTest, ARefundRacingTheReleaseTakesOneStep) {
  auto other_store = store::OpenStore(db_->url());
  ASSERT_TRUE(other_store.ok()) << other_store.error().message;
  App other(**other_store, clock_, config_, "test-secret");
  for (int i = 0; i < 6; ++i) {
    const std::string id = "f-" + std::to_string(i);
    auto r = Refer(Friend(id, "friend-" + std::to_string(i)));
    ASSERT_TRUE(r && !r->reward_code.empty());
    std::optional<store::Job> release;
    for (const auto& j : JobsOf(store::JobKind::kRewardRelease)) {
      if (j.ref_id == RewardOf(r->referral_id).id) release = j;
    }
    ASSERT_TRUE(release.has_value());
    clock_.Advance(days{15});
    std::thread releaser([&] { EXPECT_TRUE(app_->rewards().Release(*release).ok()); });
    std::thread refunder([&] { EXPECT_TRUE(other.orders().Refund(shop_, id, "re", "120.00").ok()); });
    releaser.join();
    refunder.join();
    const store::Reward w = RewardOf(r->referral_id);
    int released = 0, reversed = 0, voucher_voided = 0;
    auto ledger = app_->rewards().ForPromoter(shop_.id, promoter_id_);
    ASSERT_TRUE(ledger.ok());
    for (const auto& e : ledger->entries) {
      if (e.reward_id != w.id) continue;
      released += e.kind == "released";
      reversed += e.kind == "voided" || e.kind == "clawed_back";
      voucher_voided += e.kind == "voucher_voided";
    }
    EXPECT_EQ(reversed, 1) << id;
    if (w.status == store::RewardStatus::kVoided) {
      EXPECT_EQ(released, 0) << id;
      EXPECT_EQ(voucher_voided, 0) << id << ": a voucher never issued is not voided";
      EXPECT_FALSE(w.voucher_voided_at.has_value()) << id;
    } else {
      EXPECT_EQ(w.status, store::RewardStatus::kClawedBack) << id;
      EXPECT_EQ(released, 1) << id;
      EXPECT_EQ(voucher_voided, 1) << id;
      EXPECT_TRUE(w.voucher_voided_at.has_value()) << id;
    }
  }
  Work();
  EXPECT_EQ(reward_mails_->load(), 0) << "every reward was taken back before its mail";
}

TEST_P(RewardsTest, TheMonthlyCapVoidsRewardsBeyondIt) {
  SettingsPatch p;
  p.reward_cap_per_month = 2;
  Set(p);
  clock_.Set(FromUnixMillis(1'796'083'200'000));  // 2026-12-01T00:00:00Z
  ASSERT_FALSE(Refer(Friend("f-1", "bob"))->reward_code.empty());
  clock_.Advance(days{10});
  ASSERT_FALSE(Refer(Friend("f-2", "carl"))->reward_code.empty());
  clock_.Advance(days{20});  // 2026-12-31
  auto third = Refer(Friend("f-3", "dora"));
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(third->status, core::ReferralVerdict::kQualified);
  EXPECT_TRUE(third->reward_code.empty());
  const store::Reward w = RewardOf(third->referral_id);
  EXPECT_EQ(w.status, store::RewardStatus::kVoided);
  EXPECT_EQ(w.reverse_reason, "monthly_cap");
  EXPECT_EQ(JobsOf(store::JobKind::kRewardRelease).size(), 2u);
  // A refunded reward frees its place; a new month starts afresh.
  ASSERT_TRUE(app_->orders().Refund(shop_, "f-2", "re", "120.00").ok());
  clock_.Advance(seconds{1});
  EXPECT_FALSE(Refer(Friend("f-4", "emil"))->reward_code.empty());
  EXPECT_TRUE(Refer(Friend("f-5", "fred"))->reward_code.empty());
  clock_.Advance(days{1});  // 2027-01-01
  EXPECT_FALSE(Refer(Friend("f-6", "gina"))->reward_code.empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, RewardsTest, ::testing::ValuesIn(TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
