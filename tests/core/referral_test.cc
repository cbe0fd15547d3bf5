#include "core/referral.h"

#include <gtest/gtest.h>

namespace vouch::core {
namespace {

using std::chrono::days;

const Instant kNow = FromUnixMillis(1'795'169'700'000);  // 2026-11-20T10:15:00Z

const Person kAnna{"cust-1", "anna@example.com", "+4915112345678"};
const Person kBen{"cust-2", "ben@example.com", "+4915187654321"};

CodeState AnnasCode() {
  CodeState c;
  c.promoter = kAnna;
  return c;
}

ReferralVerdict Judge(const CodeState& code, const Person& buyer, int prior_orders = 0, Instant at = kNow) {
  return JudgeReferral(code, buyer, prior_orders, at);
}

TEST(JudgeReferralTest, NewCustomerWithAValidCodeQualifies) {
  EXPECT_EQ(Judge(AnnasCode(), kBen), ReferralVerdict::kQualified);
}

TEST(JudgeReferralTest, AnySharedIdentifierIsASelfReferral) {
  EXPECT_EQ(Judge(AnnasCode(), Person{"cust-1", "other@example.com", "+4915100000000"}),
            ReferralVerdict::kSelfReferral);
  EXPECT_EQ(Judge(AnnasCode(), Person{"cust-9", "anna@example.com", "+4915100000000"}),
            ReferralVerdict::kSelfReferral);
  EXPECT_EQ(Judge(AnnasCode(), Person{"cust-9", "other@example.com", "+4915112345678"}),
            ReferralVerdict::kSelfReferral);
  EXPECT_EQ(Judge(AnnasCode(), kAnna), ReferralVerdict::kSelfReferral);
}

TEST(JudgeReferralTest, IdentitiesAreComparedInCanonicalForm) {
  CodeState code;
  code.promoter = Person{"cust-1", "anna@gmail.com", "+4915112345678"};
  for (const char* alias : {"anna+1@gmail.com", "a.nna@gmail.com", "anna@googlemail.com",
                            "a.nna+1@googlemail.com", "Anna@Gmail.com"}) {
    EXPECT_EQ(Judge(code, Person{"cust-9", alias, ""}), ReferralVerdict::kSelfReferral) << alias;
  }
  EXPECT_EQ(Judge(code, Person{"cust-9", "bob@example.com", "+49 151 1234 5678"}),
            ReferralVerdict::kSelfReferral);
  EXPECT_EQ(Judge(code, Person{"cust-9", "anna@example.com", "+4915187654321"}), ReferralVerdict::kQualified);
  code.promoter.email = "a.nna@example.com";  // dots count outside Gmail
  EXPECT_EQ(Judge(code, Person{"cust-9", "anna@example.com", ""}), ReferralVerdict::kQualified);
}

TEST(JudgeReferralTest, OneShippingAddressIsASelfReferral) {
  CodeState code = AnnasCode();
  code.promoter.address = ShippingAddress{"Hauptstraße 5", "10115", "DE"};
  Person ben = kBen;
  ben.address = ShippingAddress{"Hauptstr. 5", "10115", "Deutschland"};
  EXPECT_EQ(Judge(code, ben), ReferralVerdict::kSelfReferral);
  ben.address = ShippingAddress{"Hauptstr. 7", "10115", "DE"};
  EXPECT_EQ(Judge(code, ben), ReferralVerdict::kQualified);
  ben.address = ShippingAddress{};
  EXPECT_EQ(Judge(code, ben), ReferralVerdict::kQualified);
}

TEST(JudgeReferralTest, EmptyFieldsNeverMatch) {
  CodeState code;
  code.promoter = Person{"", "anna@example.com", ""};
  EXPECT_EQ(Judge(code, Person{"", "ben@example.com", ""}), ReferralVerdict::kQualified);
  EXPECT_EQ(Judge(code, Person{"cust-2", "ben@example.com", ""}), ReferralVerdict::kQualified);

  code.promoter = Person{};
  EXPECT_EQ(Judge(code, Person{}), ReferralVerdict::kQualified);
}

TEST(JudgeReferralTest, ExpiresAtTheExpiryInstant) {
  CodeState code = AnnasCode();
  code.expires_at = kNow;
  EXPECT_EQ(Judge(code, kBen, 0, kNow - Millis{1}), ReferralVerdict::kQualified);
  EXPECT_EQ(Judge(code, kBen, 0, kNow), ReferralVerdict::kExpired);
  EXPECT_EQ(Judge(code, kBen, 0, kNow + days{1}), ReferralVerdict::kExpired);
}

TEST(JudgeReferralTest, NoExpiryNeverExpires) {
  EXPECT_EQ(Judge(AnnasCode(), kBen, 0, kNow + days{3650}), ReferralVerdict::kQualified);
}

TEST(JudgeReferralTest, UsedUpOnceUsesReachMaxUses) {
  CodeState code = AnnasCode();
  code.max_uses = 3;
  code.uses = 2;
  EXPECT_EQ(Judge(code, kBen), ReferralVerdict::kQualified);
  code.uses = 3;
  EXPECT_EQ(Judge(code, kBen), ReferralVerdict::kUsedUp);
  code.uses = 4;
  EXPECT_EQ(Judge(code, kBen), ReferralVerdict::kUsedUp);
}

TEST(JudgeReferralTest, MaxUsesZeroIsUnlimited) {
  CodeState code = AnnasCode();
  code.max_uses = 0;
  code.uses = 1'000'000;
  EXPECT_EQ(Judge(code, kBen), ReferralVerdict::kQualified);
}

TEST(JudgeReferralTest, BuyerWithPriorOrdersIsAnExistingCustomer) {
  EXPECT_EQ(Judge(AnnasCode(), kBen, 1), ReferralVerdict::kExistingCustomer);
  EXPECT_EQ(Judge(AnnasCode(), kBen, 12), ReferralVerdict::kExistingCustomer);
}

TEST(JudgeReferralTest, SelfReferralIsReportedBeforeAnythingElse) {
  CodeState code = AnnasCode();
  code.expires_at = kNow - days{1};
  code.max_uses = 1;
  code.uses = 1;
  EXPECT_EQ(Judge(code, kAnna, 5), ReferralVerdict::kSelfReferral);
  EXPECT_EQ(Judge(code, kBen, 5), ReferralVerdict::kExpired);
}

TEST(VerdictNameTest, NamesEachVerdict) {
  EXPECT_STREQ(VerdictName(ReferralVerdict::kQualified), "qualified");
  EXPECT_STREQ(VerdictName(ReferralVerdict::kSelfReferral), "self_referral");
  EXPECT_STREQ(VerdictName(ReferralVerdict::kExpired), "expired");
  EXPECT_STREQ(VerdictName(ReferralVerdict::kUsedUp), "used_up");
  EXPECT_STREQ(VerdictName(ReferralVerdict::kExistingCustomer), "existing_customer");
  EXPECT_STREQ(VerdictName(ReferralVerdict::kSharedNetwork), "shared_network");
  EXPECT_STREQ(VerdictName(ReferralVerdict::kCouponLeak), "coupon_leak");
}

}  // namespace
}  // namespace vouch::core

namespace vouch::core {
namespace {

TEST(ReferralVerdictNames, ParseIsVerdictNameReversed) {
  for (ReferralVerdict v :
       {ReferralVerdict::kQualified, ReferralVerdict::kSelfReferral, ReferralVerdict::kExpired,
        ReferralVerdict::kUsedUp, ReferralVerdict::kExistingCustomer, ReferralVerdict::kVelocity,
        ReferralVerdict::kDisposableEmail, ReferralVerdict::kSharedNetwork, ReferralVerdict::kCouponLeak}) {
    EXPECT_EQ(ParseVerdict(VerdictName(v)), v);
  }
  EXPECT_EQ(ParseVerdict("existing_customer"), ReferralVerdict::kExistingCustomer);
  EXPECT_EQ(ParseVerdict("rejected"), std::nullopt);
}

}  // namespace
}  // namespace vouch::core
