#include "core/signals.h"

#include <gtest/gtest.h>

namespace vouch::core {
namespace {

using Strings = std::vector<std::string>;

TEST(NetworkTest, IPv4IsItselfAndIPv6ItsSlash64) {
  EXPECT_EQ(NetworkOf("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(NetworkOf("2001:db8:0:1:aaaa::1"), "2001:db8:0:1::/64");
  EXPECT_EQ(NetworkOf("2001:0db8:0000:0001:bbbb:0:0:2"), "2001:db8:0:1::/64");
  EXPECT_EQ(NetworkOf(""), std::nullopt);
  EXPECT_EQ(NetworkOf("not an ip"), std::nullopt);
  EXPECT_EQ(NetworkOf("203.0.113.300"), std::nullopt);
}

TEST(NetworkTest, HashesAreKeyedPerShopAndHideTheAddress) {
  const auto a = NetworkHash("key", 1, "203.0.113.7");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->size(), 64u);
  EXPECT_EQ(a->find("203"), std::string::npos);
  EXPECT_EQ(NetworkHash("key", 1, "203.0.113.7"), a);
  EXPECT_NE(NetworkHash("key", 2, "203.0.113.7"), a) << "another shop, another hash";
  EXPECT_NE(NetworkHash("other", 1, "203.0.113.7"), a);
  EXPECT_NE(NetworkHash("key", 1, "203.0.113.8"), a);
  EXPECT_EQ(NetworkHash("key", 1, "2001:db8::1"), NetworkHash("key", 1, "2001:db8::2")) << "one /64";
  EXPECT_EQ(NetworkHash("key", 1, "nope"), std::nullopt);
}

TEST(SharedNetworkRuleTest, FiresOnASharedNetworkNamingWhereThePromoterUsedIt) {
  EXPECT_EQ(SharedNetworkRule(std::nullopt), std::nullopt);
  auto f = SharedNetworkRule(NetworkSource::kOrdered);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->rule, "shared_network");
  EXPECT_EQ(f->detail, "the order came from a network the promoter ordered from");
  auto a = SharedNetworkRule(NetworkSource::kAnswered);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->rule, "shared_network");
  EXPECT_EQ(a->detail, "the order came from the network the promoter answered from");
}

TEST(CouponLeakTest, LeakedFromTheThresholdOn) {
  EXPECT_FALSE(CouponLeaked(4, 5));
  EXPECT_TRUE(CouponLeaked(5, 5));
  EXPECT_TRUE(CouponLeaked(50, 5));
  EXPECT_FALSE(CouponLeaked(1000, 0)) << "0: off";
  const FiredRule r = CouponLeakRule(FromUnixMillis(1'795'600'000'000), 7);
  EXPECT_EQ(r.rule, "coupon_leak");
  EXPECT_NE(r.detail.find("7 unrelated buyers"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("2026-"), std::string::npos) << r.detail;
}

TEST(LandingCodeCandidatesTest, QueryValuesAndTheLastPathSegment) {
  EXPECT_EQ(LandingCodeCandidates("/?discount=ANNA-7K3F"), (Strings{"ANNA-7K3F"}));
  EXPECT_EQ(LandingCodeCandidates("https://trail.example/products/shoe?discount=ANNA-7K3F&utm_source=vouch"),
            (Strings{"shoe", "ANNA-7K3F", "vouch"}));
  EXPECT_EQ(LandingCodeCandidates("/discount/ANNA-7K3F/"), (Strings{"ANNA-7K3F"}));
  EXPECT_EQ(LandingCodeCandidates("/?code=ANNA%2D7K3F#top"), (Strings{"ANNA-7K3F"}));
  EXPECT_EQ(LandingCodeCandidates("/?a=x&b=x&c="), (Strings{"x"}));
  EXPECT_EQ(LandingCodeCandidates(""), Strings{});
  EXPECT_EQ(LandingCodeCandidates("https://trail.example"), Strings{});
  EXPECT_EQ(LandingCodeCandidates("/?x=" + std::string(65, 'A')), Strings{});
  std::string many = "/?";
  for (int i = 0; i < 20; ++i) many += "p" + std::to_string(i) + "=v" + std::to_string(i) + "&";
  EXPECT_EQ(LandingCodeCandidates(many).size(), 8u);
}

TEST(LandingCodeCandidatesTest, OnlyTextsShapedLikeACodeAreLookedUp) {
  EXPECT_TRUE(HasReferralCodeShape("ANNA-7K3FQ9XM"));
  EXPECT_TRUE(HasReferralCodeShape("anna-7k3f"));
  EXPECT_TRUE(HasReferralCodeShape("FRIEND-2345"));
  EXPECT_FALSE(HasReferralCodeShape("ANNA-7K3"));           // suffix too short
  EXPECT_FALSE(HasReferralCodeShape("SUMMER-2020"));        // 0 is not in the alphabet
  EXPECT_FALSE(HasReferralCodeShape("VERYLONGNAME-7K3F"));  // a stem has at most 8 letters
  EXPECT_FALSE(HasReferralCodeShape("-7K3F"));
  EXPECT_FALSE(HasReferralCodeShape("trail-shoe"));  // o and l are not in the alphabet
  EXPECT_FALSE(HasReferralCodeShape("ANNA-7K3F "));
  EXPECT_TRUE(LandingMayHoldCode("/products/shoe?discount=ANNA-7K3F"));
  EXPECT_TRUE(LandingMayHoldCode("/discount/anna%2D7k3f"));
  EXPECT_FALSE(LandingMayHoldCode("/products/trail-shoe?utm_source=newsletter"));
  EXPECT_FALSE(LandingMayHoldCode(""));
}

TEST(AttributionWindowTest, AVisitCountsForAttributionDaysAfterIt) {
  const Instant visit = FromUnixMillis(1'795'600'000'000);
  EXPECT_TRUE(WithinAttribution(visit, visit, 30));
  EXPECT_TRUE(WithinAttribution(visit, visit + std::chrono::days{30}, 30));
  EXPECT_FALSE(WithinAttribution(visit, visit + std::chrono::days{30} + std::chrono::seconds{1}, 30));
  EXPECT_FALSE(WithinAttribution(visit, visit - std::chrono::seconds{1}, 30)) << "a visit after the order";
}

}  // namespace
}  // namespace vouch::core
