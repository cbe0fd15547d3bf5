// The rules that read where people come from (issue 11, core/signals.h) wired into attribution,
// on every store: a friend ordering from the promoter's network goes to review (shared_network);
// an order without a discount code whose landing URL holds a code is that code's referral when a
// visit to the code's share link came within attribution_days; a buyer at the promoter's shipping
// address, written another way, is the promoter (self_referral).
#include <gtest/gtest.h>

#include "app/promoter_fixture.h"
#include "app/promoter_networks.h"
#include "support/test_db.h"

namespace vouch::app {
namespace {

using std::chrono::days;
using std::chrono::hours;

class SignalsTest : public PromoterFixture {
 protected:
  // Sets a column of Anna's own order (p-1), as an order carrying it would have stored it.
  void SetPromoterOrder(const std::string& assignments) {
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    ASSERT_TRUE((*conn)->Exec("UPDATE orders SET " + assignments + " WHERE external_id = 'p-1'").ok());
  }

  // A visit to Anna's share link at `at`, as ShareVisits records it.
  void VisitAt(Instant at) {
    auto w = store_->Write<Ok>([&](store::Tx& tx) -> Result<Ok> {
      auto code = tx.referrals().FindCode(shop_.id, code_);
      if (!code) return code.error();
      VOUCH_TRY(tx.referrals().AddCodeVisit((*code)->id, at));
      return Ok{};
    });
    ASSERT_TRUE(w.ok()) << w.error().message;
  }

  // Rows of promoter_networks.
  int64_t NetworkRows() { return Count("SELECT COUNT(*) FROM promoter_networks"); }
  // Rows of promoter_networks whose hash or source holds `text`.
  int64_t StoredText(const std::string& text) {
    return Count("SELECT COUNT(*) FROM promoter_networks WHERE network_hash LIKE '%" + text +
                 "%' OR source LIKE '%" + text + "%'");
  }
  int64_t Count(const std::string& sql) {
    auto conn = db_->Connect();
    EXPECT_TRUE(conn.ok());
    if (!conn.ok()) return -1;
    int64_t n = -1;
    auto r = (*conn)->QueryEach(sql, {}, [&](store::sql::Row& row) { n = std::get<int64_t>(row[0]); });
    EXPECT_TRUE(r.ok()) << sql;
    return n;
  }

  // A friend's order without a discount code that landed on `landing`.
  OrderInput Landed(const std::string& id, const std::string& customer, const std::string& landing) {
    OrderInput o = Friend(id, customer);
    o.discount_codes.clear();
    o.landing_site = landing;
    return o;
  }
};

TEST_P(SignalsTest, AFriendOrderingFromThePromotersNetworkGoesToReview) {
  SetPromoterOrder("browser_ip = '2001:db8:7:1::5'");
  auto o = Friend("f-1", "bob");
  o.browser_ip = "2001:db8:7:1:abcd::9";  // another device on the same /64
  auto r = Refer(o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->decision, core::Decision::kPendingReview);
  EXPECT_EQ(r->status, core::ReferralVerdict::kSharedNetwork);
  ASSERT_EQ(r->rules.size(), 1u);
  EXPECT_EQ(r->rules[0].rule, "shared_network");
  EXPECT_EQ(r->rules[0].detail.find("2001"), std::string::npos) << "no IP in the evidence";
  EXPECT_TRUE(r->reward_code.empty());

  auto other = Friend("f-2", "carl");
  other.browser_ip = "2001:db8:7:2::9";  // the next /64: another line
  EXPECT_EQ(Refer(other)->decision, core::Decision::kQualified);
  auto none = Friend("f-3", "dora");  // no IP: nothing to compare
  EXPECT_EQ(Refer(none)->decision, core::Decision::kQualified);

  SettingsPatch p;
  p.rule_actions = "shared_network=reject";
  Set(p);
  SetPromoterOrder("browser_ip = '198.51.100.4'");
  auto v4 = Friend("f-4", "emil");
  v4.browser_ip = "198.51.100.4";
  auto rejected = Refer(v4);
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->decision, core::Decision::kRejected);
  EXPECT_EQ(rejected->status, core::ReferralVerdict::kSharedNetwork);
}

TEST_P(SignalsTest, ALandingURLWithTheCodeAttributesAfterAVisit) {
  const std::string landing = "/products/trail-shoe?utm_source=vouch&code=" + code_;
  // No visit to the share link yet: a code in a URL alone proves nothing.
  auto first = app_->ingest().Order(shop_, Landed("l-1", "bob", landing));
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_FALSE(first->referral.has_value());

  VisitAt(clock_.Now() - days{10});
  auto r = Refer(Landed("l-2", "carl", landing));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, code_);
  EXPECT_EQ(r->decision, core::Decision::kQualified);
  EXPECT_FALSE(r->reward_code.empty()) << "a referral like any: its reward is made and held";
  EXPECT_EQ(JobsOf(store::JobKind::kRewardRelease).size(), 1u);

  // The path's last segment counts too, lower case and percent-encoded as a browser may send it.
  std::string lower = code_;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  lower.replace(lower.find('-'), 1, "%2D");
  auto by_path = Refer(Landed("l-3", "dora", "https://trail.example/r/" + lower));
  ASSERT_TRUE(by_path);
  EXPECT_EQ(by_path->code, code_);

  // A batch takes such an order one by one, so it is attributed there too.
  auto batch = app_->ingest().Batch(shop_, {Landed("l-4", "emil", landing), Landed("l-5", "fritz", "/")});
  ASSERT_EQ(batch.size(), 2u);
  ASSERT_TRUE(batch[0].ok() && batch[1].ok());
  ASSERT_TRUE(batch[0]->referral.has_value());
  EXPECT_EQ(batch[0]->referral->code, code_);
  EXPECT_FALSE(batch[1]->referral.has_value());

  // Past attribution_days after the only visit: no referral.
  clock_.Advance(days{21});
  auto late = app_->ingest().Order(shop_, Landed("l-6", "gina", landing));
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(late->referral.has_value());
  // A shop that widens the window sees it again; 0 turns landing attribution off.
  SettingsPatch p;
  p.attribution_days = 60;
  Set(p);
  EXPECT_TRUE(Refer(Landed("l-7", "hans", landing)).has_value());
  p.attribution_days = 0;
  Set(p);
  auto off = app_->ingest().Order(shop_, Landed("l-8", "ida", landing));
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->referral.has_value());
  // A discount code still attributes with landing attribution off.
  EXPECT_TRUE(Refer(Friend("l-9", "jan")).has_value());

  SettingsPatch bad;
  bad.attribution_days = -1;
  EXPECT_EQ(app_->shops().UpdateSettings(shop_.id, bad).error().field, "attribution_days");
  bad.attribution_days = 366;
  EXPECT_EQ(app_->shops().UpdateSettings(shop_.id, bad).error().field, "attribution_days");
}

TEST_P(SignalsTest, ALandingCodeOfAnotherShopIsNotAttributed) {
  auto other = app_->shops().Create("Other", "https://other.example");
  ASSERT_TRUE(other.ok());
  VisitAt(clock_.Now() - hours{1});
  auto r = app_->ingest().Order(other->shop, Landed("x-1", "bob", "/?code=" + code_));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->referral.has_value());
}

TEST_P(SignalsTest, ABuyerAtThePromotersAddressIsThePromoter) {
  SetPromoterOrder("ship_line1 = 'Hauptstraße 5', ship_zip = '10115', ship_country = 'DE'");
  auto o = Friend("f-1", "bob");
  o.shipping_address = store::ShippingAddress{"hauptstr. 5", "10115", "DE"};
  auto r = Refer(o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->decision, core::Decision::kRejected);
  EXPECT_EQ(r->status, core::ReferralVerdict::kSelfReferral);
  EXPECT_NE(r->rules[0].detail.find("address"), std::string::npos) << r->rules[0].detail;
  EXPECT_EQ(r->rules[0].detail.find("10115"), std::string::npos) << "no address in the evidence";

  auto elsewhere = Friend("f-2", "carl");
  elsewhere.shipping_address = store::ShippingAddress{"Hauptstraße 7", "10115", "DE"};
  EXPECT_EQ(Refer(elsewhere)->decision, core::Decision::kQualified);
}

TEST_P(SignalsTest, ACodeUsedByFarMoreBuyersThanItsLinkHadVisitsIsPaused) {
  SettingsPatch p;
  p.coupon_leak_buyers = 3;
  Set(p);
  VisitAt(clock_.Now() - hours{1});  // one visit stands for one buyer
  // Anna herself, as another customer, is no unrelated buyer.
  auto self = Friend("s-1", "anna-2");
  self.customer.email = "anna@example.com";
  EXPECT_EQ(Refer(self)->status, core::ReferralVerdict::kSelfReferral);
  for (int i = 0; i < 3; ++i) {
    auto r = Refer(Friend("f-" + std::to_string(i), "friend" + std::to_string(i)));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->decision, core::Decision::kQualified) << i;
  }
  // The fourth buyer makes three more than the one visit: the code is paused.
  auto leaked = Refer(Friend("f-3", "friend3"));
  ASSERT_TRUE(leaked);
  EXPECT_EQ(leaked->decision, core::Decision::kPendingReview);
  EXPECT_EQ(leaked->status, core::ReferralVerdict::kCouponLeak);
  ASSERT_EQ(leaked->rules.size(), 1u);
  EXPECT_EQ(leaked->rules[0].rule, "coupon_leak");
  EXPECT_NE(leaked->rules[0].detail.find("3 unrelated buyers"), std::string::npos) << leaked->rules[0].detail;
  auto code = store_->Read<std::optional<store::ReferralCode>>(
      [&](store::ReadTx& tx) { return tx.referrals().FindCode(shop_.id, code_); });
  ASSERT_TRUE(code.ok() && code->has_value());
  EXPECT_EQ((*code)->paused_at, std::optional<Instant>(clock_.Now()));
  EXPECT_EQ((*code)->paused_buyers, 3);

  // Paused stays paused: a later referral carries the rule with the same evidence, whatever the
  // setting now says; a shop may choose to ignore it.
  clock_.Advance(hours{2});
  p.coupon_leak_buyers = 0;
  Set(p);
  auto later = Refer(Friend("f-4", "friend4"));
  ASSERT_TRUE(later);
  EXPECT_EQ(later->decision, core::Decision::kPendingReview);
  EXPECT_EQ(later->rules[0].detail, leaked->rules[0].detail);
  p.rule_actions = "coupon_leak=ignore";
  Set(p);
  EXPECT_EQ(Refer(Friend("f-5", "friend5"))->decision, core::Decision::kQualified);

  SettingsPatch bad;
  bad.coupon_leak_buyers = -1;
  EXPECT_EQ(app_->shops().UpdateSettings(shop_.id, bad).error().field, "coupon_leak_buyers");
}

// The network Anna answered from (her confirmation on the thank-you page, from 203.0.113.5) is
// remembered as a keyed hash only: a friend ordering from it goes to review with evidence naming
// the answer, another network qualifies, and erasing Anna deletes what was remembered.
TEST_P(SignalsTest, AFriendOrderingFromTheNetworkThePromoterAnsweredFromGoesToReview) {
  auto code = store_->Read<std::optional<store::ReferralCode>>(
      [&](store::ReadTx& tx) { return tx.referrals().FindCode(shop_.id, code_); });
  ASSERT_TRUE(code.ok() && code->has_value());
  const std::string token = app_->links().SurveyToken((*code)->survey_id);
  ASSERT_TRUE(app_->answers().Confirm(token, 10, "203.0.113.5").ok());
  EXPECT_EQ(NetworkRows(), 1);
  EXPECT_EQ(StoredText("203.0.113"), 0) << "no raw address is stored";

  auto o = Friend("f-1", "bob");
  o.browser_ip = "203.0.113.5";
  auto r = Refer(o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->decision, core::Decision::kPendingReview);
  EXPECT_EQ(r->status, core::ReferralVerdict::kSharedNetwork);
  ASSERT_EQ(r->rules.size(), 1u);
  EXPECT_EQ(r->rules[0].rule, "shared_network");
  EXPECT_EQ(r->rules[0].detail, "the order came from the network the promoter answered from");

  auto other = Friend("f-2", "carl");
  other.browser_ip = "198.51.100.20";
  EXPECT_EQ(Refer(other)->decision, core::Decision::kQualified);

  // Answering again from the same network moves its time; only the latest 20 networks are kept.
  ASSERT_TRUE(app_->answers().Confirm(token, 10, "203.0.113.5").ok());
  EXPECT_EQ(NetworkRows(), 1);
  for (int i = 1; i <= 25; ++i) {
    clock_.Advance(std::chrono::seconds{1});
    ASSERT_TRUE(app_->answers().Confirm(token, 10, "192.0.2." + std::to_string(i)).ok());
  }
  EXPECT_EQ(NetworkRows(), kPromoterNetworksKept);
  auto late = Friend("f-3", "dora");
  late.browser_ip = "203.0.113.5";  // the oldest, dropped
  EXPECT_EQ(Refer(late)->decision, core::Decision::kQualified);
  auto recent = Friend("f-4", "emil");
  recent.browser_ip = "192.0.2.25";
  EXPECT_EQ(Refer(recent)->status, core::ReferralVerdict::kSharedNetwork);

  ASSERT_TRUE(app_->privacy().Erase(shop_.id, "anna").ok());
  EXPECT_EQ(NetworkRows(), 0);
}

// A non-promoter's answer remembers no network; a GET click of a promoter does.
TEST_P(SignalsTest, OnlyPromotersAnswersRememberTheirNetwork) {
  const store::Id survey = SentSurvey("o-2", "olga");
  ASSERT_NE(survey, 0);
  const std::string token = app_->links().SurveyToken(survey);
  ASSERT_TRUE(app_->answers().RecordClick(token, 7, "GET", kBrowser, "198.51.100.30").ok());
  EXPECT_EQ(NetworkRows(), 0) << "a passive's answer";
  clock_.Advance(std::chrono::minutes{5});
  ASSERT_TRUE(app_->answers().RecordClick(token, 9, "GET", kBrowser, "198.51.100.30").ok());
  EXPECT_EQ(NetworkRows(), 1) << "changed to a promoter's answer";
}

INSTANTIATE_TEST_SUITE_P(Stores, SignalsTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
