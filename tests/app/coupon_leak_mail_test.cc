// The coupon-leak mail to the shop (issue 11), on every store: the pause of a leaked code queues
// one coupon_leak job in the pause's transaction when the shop has a contact_email, and the job's
// mail goes to that address in the shop's language with the code, the buyers without a visit and
// the threshold; no contact_email, no job (the pause itself is as before).
#include <gtest/gtest.h>

#include "app/promoter_fixture.h"
#include "support/test_db.h"

namespace vouch::app {
namespace {

using std::chrono::hours;

class CouponLeakMailTest : public PromoterFixture {
 protected:
  // Three friends with Anna's code and no visit to her share link: with coupon_leak_buyers 3,
  // the third pauses the code. Returns the third's referral.
  std::optional<ReferralOutcome> LeakCode() {
    SettingsPatch p;
    p.coupon_leak_buyers = 3;
    Set(p);
    for (int i = 0; i < 2; ++i) {
      auto r = Refer(Friend("f-" + std::to_string(i), "friend" + std::to_string(i)));
      EXPECT_TRUE(r && r->decision == core::Decision::kQualified) << i;
    }
    return Refer(Friend("f-2", "friend2"));
  }

  std::optional<store::ReferralCode> Code() {
    auto code = store_->Read<std::optional<store::ReferralCode>>(
        [&](store::ReadTx& tx) { return tx.referrals().FindCode(shop_.id, code_); });
    EXPECT_TRUE(code.ok());
    return code.ok() ? *code : std::nullopt;
  }
};

TEST_P(CouponLeakMailTest, APauseMailsTheShopsContactAddressOnce) {
  SettingsPatch p;
  p.contact_email = "Owner@Trail.Example";
  Set(p);
  EXPECT_EQ(shop_.settings.contact_email, "owner@trail.example");
  auto leaked = LeakCode();
  ASSERT_TRUE(leaked);
  ASSERT_EQ(leaked->status, core::ReferralVerdict::kCouponLeak);
  auto code = Code();
  ASSERT_TRUE(code && code->paused_at);

  auto jobs = JobsOf(store::JobKind::kCouponLeak);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].ref_id, code->id);
  EXPECT_EQ(jobs[0].channel, core::Channel::kEmail);
  EXPECT_EQ(jobs[0].run_at, clock_.Now());

  // Later referrals through the paused code carry the rule but queue no second mail.
  clock_.Advance(hours{1});
  auto later = Refer(Friend("f-3", "friend3"));
  ASSERT_TRUE(later);
  EXPECT_EQ(later->status, core::ReferralVerdict::kCouponLeak);
  EXPECT_EQ(JobsOf(store::JobKind::kCouponLeak).size(), 1u);

  auto built = app_->messages().Build(jobs[0]);
  ASSERT_TRUE(built.ok()) << built.error().message;
  ASSERT_TRUE(built->message.has_value()) << built->skip_reason;
  const auto& mail = std::get<delivery::MailMessage>(*built->message);
  EXPECT_EQ(mail.to_address, "owner@trail.example");
  EXPECT_TRUE(mail.cc.empty());
  EXPECT_NE(mail.subject.find(code_), std::string::npos) << mail.subject;
  EXPECT_NE(mail.text.find("referral code " + code_), std::string::npos) << mail.text;
  EXPECT_NE(mail.text.find("3 more buyers used this code"), std::string::npos) << mail.text;
  EXPECT_NE(mail.text.find("coupon_leak_buyers) is 3"), std::string::npos) << mail.text;
  EXPECT_NE(mail.text.find("https://vouch.test/referrals?status=pending_review"), std::string::npos);
  EXPECT_NE(mail.text.find("https://vouch.test/promoters/" + std::to_string(promoter_id_)),
            std::string::npos);
  EXPECT_NE(mail.html.find("<strong>" + code_ + "</strong>"), std::string::npos);
  EXPECT_NE(mail.text.find("POST /api/v1/codes/" + code_ + "/resume"), std::string::npos) << mail.text;
  EXPECT_EQ(mail.text.find("anna@example.com"), std::string::npos) << "no customer's address in it";
  // Not a marketing message: it never counts against a customer's budget.
  EXPECT_FALSE(IsMarketing(store::JobKind::kCouponLeak));

  // In the shop's language.
  p = SettingsPatch{};
  p.locale = "de";
  Set(p);
  auto german = app_->messages().Build(jobs[0]);
  ASSERT_TRUE(german.ok() && german->message.has_value());
  const auto& de = std::get<delivery::MailMessage>(*german->message);
  EXPECT_NE(de.text.find("Empfehlungscode " + code_), std::string::npos) << de.text;
  EXPECT_NE(de.text.find("3 Käufer mehr"), std::string::npos) << de.text;
  EXPECT_NE(de.text.find("POST /api/v1/codes/" + code_ + "/resume"), std::string::npos) << de.text;

  // The address removed before the job runs: the job is moot, nothing is sent.
  p = SettingsPatch{};
  p.contact_email = "";
  Set(p);
  auto moot = app_->messages().Build(jobs[0]);
  ASSERT_TRUE(moot.ok());
  EXPECT_FALSE(moot->message.has_value());
  EXPECT_EQ(moot->skip_reason, "shop has no contact_email");
}

TEST_P(CouponLeakMailTest, WithoutAContactAddressThePauseQueuesNoMail) {
  EXPECT_EQ(shop_.settings.contact_email, "");
  auto leaked = LeakCode();
  ASSERT_TRUE(leaked);
  EXPECT_EQ(leaked->status, core::ReferralVerdict::kCouponLeak);
  auto code = Code();
  ASSERT_TRUE(code && code->paused_at);
  EXPECT_EQ(code->paused_buyers, 3);
  EXPECT_TRUE(JobsOf(store::JobKind::kCouponLeak).empty());
}

TEST_P(CouponLeakMailTest, TheContactAddressIsValidated) {
  SettingsPatch bad;
  bad.contact_email = "not an address";
  auto r = app_->shops().UpdateSettings(shop_.id, bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  EXPECT_EQ(r.error().field, "contact_email");
  bad.contact_email = "owner@";
  EXPECT_EQ(app_->shops().UpdateSettings(shop_.id, bad).error().field, "contact_email");
  auto unchanged =
      store_->Read<std::optional<store::Shop>>([&](store::ReadTx& tx) { return tx.shops().Get(shop_.id); });
  ASSERT_TRUE(unchanged.ok() && unchanged->has_value());
  EXPECT_EQ((*unchanged)->settings.contact_email, "");
}

// Resuming (POST /api/v1/codes/{code}/resume): the pause and its mail job go, resumed_at is set,
// the rule counts buyers only from then on (the next order does not pause it again), and a later
// leak pauses the code again and queues a second mail.
TEST_P(CouponLeakMailTest, AResumedCodeCountsAfreshAndALaterLeakMailsAgain) {
  auto never = app_->referrals().ResumeCode(shop_, code_);
  ASSERT_FALSE(never.ok());
  EXPECT_EQ(never.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(never.error().field, "code");
  auto unknown = app_->referrals().ResumeCode(shop_, "NO-SUCH-CODE");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, Code::kNotFound);
  EXPECT_EQ(unknown.error().field, "code");

  SettingsPatch p;
  p.contact_email = "owner@trail.example";
  Set(p);
  ASSERT_TRUE(LeakCode());
  ASSERT_EQ(JobsOf(store::JobKind::kCouponLeak).size(), 1u);

  clock_.Advance(hours{1});
  const Instant resumed_at = clock_.Now();
  auto resumed = app_->referrals().ResumeCode(shop_, code_);
  ASSERT_TRUE(resumed.ok()) << resumed.error().message;
  EXPECT_FALSE(resumed->paused_at);
  EXPECT_EQ(resumed->paused_buyers, 0);
  EXPECT_EQ(resumed->resumed_at, std::optional<Instant>(resumed_at));
  EXPECT_TRUE(JobsOf(store::JobKind::kCouponLeak).empty());
  // The same call again answers the code unchanged.
  clock_.Advance(hours{1});
  auto again = app_->referrals().ResumeCode(shop_, code_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->resumed_at, std::optional<Instant>(resumed_at));

  // The three earlier buyers no longer count: two new ones leave the code running.
  for (int i = 3; i < 5; ++i) {
    auto r = Refer(Friend("f-" + std::to_string(i), "friend" + std::to_string(i)));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, core::ReferralVerdict::kQualified) << i;
  }
  auto code = Code();
  ASSERT_TRUE(code);
  EXPECT_FALSE(code->paused_at);
  // The third new one leaks it again: paused anew, and the shop is mailed again.
  auto third = Refer(Friend("f-5", "friend5"));
  ASSERT_TRUE(third);
  EXPECT_EQ(third->status, core::ReferralVerdict::kCouponLeak);
  code = Code();
  ASSERT_TRUE(code && code->paused_at);
  EXPECT_EQ(code->paused_at, std::optional<Instant>(clock_.Now()));
  EXPECT_EQ(code->paused_buyers, 3);
  EXPECT_EQ(code->resumed_at, std::optional<Instant>(resumed_at));
  auto jobs = JobsOf(store::JobKind::kCouponLeak);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].run_at, clock_.Now());
}

INSTANTIATE_TEST_SUITE_P(Stores, CouponLeakMailTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
