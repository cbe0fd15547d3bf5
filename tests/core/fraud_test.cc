// The fraud rules of core/fraud.h: each fires with its evidence, and the shop's actions decide.
#include "core/fraud.h"

#include <gtest/gtest.h>

namespace vouch::core {
namespace {

TEST(FraudRules, VelocityFiresOnlyPastTheLimit) {
  EXPECT_FALSE(VelocityRule(4, 5, 24));
  auto f = VelocityRule(5, 5, 24);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->rule, "velocity");
  EXPECT_EQ(f->detail, "6 qualified referrals on this code in the last 24 hours (limit 5)");
  EXPECT_FALSE(VelocityRule(100, 0, 24)) << "0 turns it off";
}

TEST(FraudRules, DisposableDomainsComeBuiltInAndShopsChangeThem) {
  const auto builtin = DisposableDomains::With("");
  EXPECT_GT(builtin.size(), 20u);
  auto f = DisposableEmailRule("bob@mailinator.com", builtin);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->rule, "disposable_email");
  EXPECT_NE(f->detail.find("mailinator.com"), std::string::npos);
  EXPECT_TRUE(DisposableEmailRule("bob@eu.Mailinator.COM", builtin)) << "subdomains and case";
  EXPECT_FALSE(DisposableEmailRule("bob@example.com", builtin));
  EXPECT_FALSE(DisposableEmailRule("bob@notmailinator.com", builtin));
  const auto shop = DisposableDomains::With("throwaway.example\n-mailinator.com, # ours\n");
  EXPECT_TRUE(DisposableEmailRule("bob@throwaway.example", shop));
  EXPECT_FALSE(DisposableEmailRule("bob@mailinator.com", shop));
  EXPECT_TRUE(DisposableEmailRule("bob@yopmail.com", shop));
}

TEST(FraudRules, DomainListsAreValidated) {
  EXPECT_TRUE(ValidateDomainList("a.example, -mailinator.com\n# comment\n").ok());
  auto bad = ValidateDomainList("not a domain");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "disposable_domains");
  EXPECT_FALSE(ValidateDomainList("localhost").ok());
}

TEST(FraudRules, ActionsDefaultAndParse) {
  RuleActions d;
  EXPECT_EQ(d.For("velocity"), RuleAction::kReview);
  EXPECT_EQ(d.For("disposable_email"), RuleAction::kReview);
  EXPECT_EQ(d.For("self_referral"), RuleAction::kReject);
  EXPECT_EQ(d.For("existing_customer"), RuleAction::kReject);
  auto p = RuleActions::Parse(" velocity = reject ,\ndisposable_email=ignore");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->For("velocity"), RuleAction::kReject);
  EXPECT_EQ(p->For("disposable_email"), RuleAction::kIgnore);
  EXPECT_EQ(p->For("expired"), RuleAction::kReject);
  for (const char* bad : {"velocity", "speed=reject", "velocity=maybe"}) {
    auto e = RuleActions::Parse(bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_EQ(e.error().field, "rule_actions") << bad;
  }
}

TEST(FraudRules, RejectBeatsReviewAndIgnoredRulesAreDropped) {
  const FiredRule velocity{"velocity", "v"}, disposable{"disposable_email", "d"}, self{"self_referral", "s"};
  RuleActions d;
  EXPECT_EQ(Decide({}, d).decision, Decision::kQualified);
  EXPECT_EQ(Decide({velocity}, d).decision, Decision::kPendingReview);
  auto both = Decide({self, velocity}, d);
  EXPECT_EQ(both.decision, Decision::kRejected);
  EXPECT_EQ(both.rules, (std::vector<FiredRule>{self, velocity}));
  auto ignoring = RuleActions::Parse("velocity=ignore");
  ASSERT_TRUE(ignoring.ok());
  auto ignored = Decide({velocity, disposable}, *ignoring);
  EXPECT_EQ(ignored.decision, Decision::kPendingReview);
  EXPECT_EQ(ignored.rules, (std::vector<FiredRule>{disposable}));
  EXPECT_EQ(Decide({velocity}, *ignoring).decision, Decision::kQualified);
  EXPECT_STREQ(DecisionName(Decision::kPendingReview), "pending_review");
  EXPECT_EQ(ParseDecision("rejected"), Decision::kRejected);
  EXPECT_FALSE(ParseDecision("maybe"));
}

}  // namespace
}  // namespace vouch::core
