// Referral decisions and the review queue (issue 11), on every store: the rules that fired are
// kept with their evidence; velocity and disposable mailboxes hold a referral for review, where a
// person approves it (its reward made and held as any) or rejects it.
#include <gtest/gtest.h>

#include "app/promoter_fixture.h"
#include "support/test_db.h"

namespace vouch::app {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using test::TestDb;

class ReviewTest : public PromoterFixture {
 protected:
  std::vector<store::ReferralRow> Queue() {
    store::ReferralFilter f;
    f.from = Start() - std::chrono::days{1};
    f.to = clock_.Now() + std::chrono::days{1};
    f.decision = core::Decision::kPendingReview;
    auto rows = app_->referrals().List(shop_.id, f);
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<store::ReferralRow>{};
  }
};

TEST_P(ReviewTest, TooManyReferralsOnACodeInAShortTimeGoToReview) {
  SettingsPatch p;
  p.velocity_max = 2;
  p.velocity_hours = 1;
  Set(p);
  for (int i = 0; i < 2; ++i) {
    auto r = Refer(Friend("f-" + std::to_string(i), "friend-" + std::to_string(i)));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->decision, core::Decision::kQualified);
    clock_.Advance(minutes{10});
  }
  auto third = Refer(Friend("f-2", "friend-2"));
  ASSERT_TRUE(third);
  EXPECT_EQ(third->decision, core::Decision::kPendingReview);
  EXPECT_EQ(third->status, core::ReferralVerdict::kVelocity);
  ASSERT_EQ(third->rules.size(), 1u);
  EXPECT_EQ(third->rules[0].rule, "velocity");
  EXPECT_EQ(third->rules[0].detail, "3 qualified referrals on this code in the last 1 hours (limit 2)");
  EXPECT_TRUE(third->reward_code.empty());
  ASSERT_EQ(Queue().size(), 1u);
  EXPECT_EQ(Queue()[0].referral.id, third->referral_id);
  EXPECT_EQ(Queue()[0].order_external_id, "f-2");
  EXPECT_FALSE(Queue()[0].reward.has_value());
  // An hour after the first two, the code is calm again.
  clock_.Advance(hours{1});
  EXPECT_EQ(Refer(Friend("f-3", "friend-3"))->decision, core::Decision::kQualified);
  auto funnel = app_->reports().Funnel(shop_.id, Start() - std::chrono::days{1}, clock_.Now() + hours{1});
  ASSERT_TRUE(funnel.ok());
  EXPECT_EQ(funnel->referred_orders, 3) << "a referral under review is not counted";
}

TEST_P(ReviewTest, ApprovingAPendingReferralQualifiesItAndHoldsItsReward) {
  auto r = Refer(Friend("f-1", "bob"));
  ASSERT_TRUE(r);
  auto o = Friend("f-2", "carl");
  o.customer.email = "carl@yopmail.com";
  auto pending = Refer(o);
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->decision, core::Decision::kPendingReview);
  EXPECT_EQ(pending->rules[0].rule, "disposable_email");
  EXPECT_NE(pending->rules[0].detail.find("yopmail.com"), std::string::npos);
  EXPECT_EQ(pending->rules[0].detail.find("carl"), std::string::npos) << "no personal data in the evidence";

  clock_.Advance(hours{3});
  auto approved = app_->referrals().Approve(shop_, pending->referral_id);
  ASSERT_TRUE(approved.ok()) << approved.error().message;
  EXPECT_EQ(approved->referral.decision, core::Decision::kQualified);
  EXPECT_EQ(approved->referral.status, core::ReferralVerdict::kQualified);
  EXPECT_EQ(approved->referral.reviewed_at, clock_.Now());
  EXPECT_EQ(approved->referral.rules.size(), 1u) << "the evidence stays";
  ASSERT_TRUE(approved->reward.has_value());
  EXPECT_EQ(approved->reward->status, store::RewardStatus::kHeld);
  EXPECT_EQ(JobsOf(store::JobKind::kRewardRelease).size(), 2u);
  EXPECT_TRUE(Queue().empty());
  // Again: the same answer, no second reward; rejecting it now is refused.
  auto again = app_->referrals().Approve(shop_, pending->referral_id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->reward->id, approved->reward->id);
  auto reject = app_->referrals().Reject(shop_, pending->referral_id);
  ASSERT_FALSE(reject.ok());
  EXPECT_EQ(reject.error().code, Code::kFailedPrecondition);
  // A referral rejected by a rule cannot be approved either.
  EXPECT_EQ(app_->referrals().Approve(shop_, r->referral_id).error().code, Code::kFailedPrecondition);
}

TEST_P(ReviewTest, RejectingKeepsTheReasonAndMakesNoReward) {
  auto o = Friend("f-1", "bob");
  o.customer.email = "bob@mailinator.com";
  auto pending = Refer(o);
  ASSERT_TRUE(pending && pending->decision == core::Decision::kPendingReview);
  auto rejected = app_->referrals().Reject(shop_, pending->referral_id);
  ASSERT_TRUE(rejected.ok()) << rejected.error().message;
  EXPECT_EQ(rejected->referral.decision, core::Decision::kRejected);
  EXPECT_EQ(rejected->referral.status, core::ReferralVerdict::kDisposableEmail);
  EXPECT_FALSE(rejected->reward.has_value());
  EXPECT_TRUE(JobsOf(store::JobKind::kRewardRelease).empty());
  auto other = app_->shops().Create("Other", "https://other.example");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(app_->referrals().Approve(other->shop, pending->referral_id).error().code, Code::kNotFound);
}

TEST_P(ReviewTest, AShopDecidesWhatARuleDoes) {
  SettingsPatch p;
  p.rule_actions = "disposable_email=reject";
  p.disposable_domains = "throwaway.example";
  Set(p);
  auto o = Friend("f-1", "bob");
  o.customer.email = "bob@throwaway.example";
  auto r = Refer(o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->decision, core::Decision::kRejected);
  EXPECT_EQ(r->status, core::ReferralVerdict::kDisposableEmail);
  p.rule_actions = "disposable_email=ignore";
  Set(p);
  auto o2 = Friend("f-2", "carl");
  o2.customer.email = "carl@throwaway.example";
  auto r2 = Refer(o2);
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->decision, core::Decision::kQualified);
  EXPECT_TRUE(r2->rules.empty());
  SettingsPatch bad;
  bad.rule_actions = "speed=reject";
  EXPECT_EQ(app_->shops().UpdateSettings(shop_.id, bad).error().field, "rule_actions");
}

TEST_P(ReviewTest, ARejectionByTheOldRulesCarriesItsEvidence) {
  auto r = Refer(Friend("f-1", "anna"));  // Anna's own customer id
  ASSERT_TRUE(r);
  EXPECT_EQ(r->decision, core::Decision::kRejected);
  ASSERT_EQ(r->rules.size(), 1u);
  EXPECT_EQ(r->rules[0].rule, "self_referral");
  EXPECT_FALSE(r->rules[0].detail.empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, ReviewTest, ::testing::ValuesIn(TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
