// The money routes over real loopback HTTP (issue 11): refunds and cancellations of orders, and
// a promoter's reward ledger, on a whole node of each store kind.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "main/commands.h"
#include "support/http_client.h"
#include "support/node_fixture.h"
#include "support/test_db.h"

namespace vouch::main {
namespace {

using nlohmann::json;
using test::HttpClient;

class MoneyApiTest : public test::NodeTest {
 protected:
  // An order of 120.00 EUR placed now by `customer`, with `code` if given.
  test::HttpResponse PostOrder(const std::string& id, const std::string& customer,
                               const std::string& code = "") {
    json j{{"id", id},
           {"created_at", FormatRfc3339(std::chrono::floor<std::chrono::seconds>(SystemClock().Now()))},
           {"currency", "EUR"},
           {"total_price", "120.00"},
           {"customer", {{"id", customer}, {"email", customer + "@example.com"}, {"first_name", "Anna"}}},
           {"discount_codes", code.empty() ? json::array() : json::array({code})}};
    return http_.Post(base_ + "/api/v1/orders", j.dump(), Auth());
  }

  // Anna answers 10 to her survey: her referral code, and her customer id in Vouch.
  std::pair<std::string, int64_t> Promoter() {
    EXPECT_EQ(PostOrder("p-1", "anna").status, 201);
    auto order = node_->app().privacy().Export(shop_.id, "anna");
    EXPECT_TRUE(order.ok() && !order->surveys.empty());
    if (!order.ok() || order->surveys.empty()) return {};
    auto v = node_->app().answers().RecordClick(node_->app().links().SurveyToken(order->surveys[0].id), 10,
                                                "GET", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0");
    EXPECT_TRUE(v.ok() && v->code.has_value());
    if (!v.ok() || !v->code) return {};
    return {v->code->code, v->code->promoter_id};
  }

  test::HttpResponse Refund(const std::string& order, const std::string& body) {
    return http_.Post(base_ + "/api/v1/orders/" + order + "/refunds", body, Auth());
  }

  void ExpectProblem(const test::HttpResponse& r, long status, const std::string& field) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
    json j = json::parse(r.body, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r.body;
    EXPECT_EQ(j.value("field", ""), field) << r.body;
  }
};

TEST_P(MoneyApiTest, ARefundIsRecordedOnceAndClawsBackTheReward) {
  app::SettingsPatch no_hold;
  no_hold.reward_hold_seconds = 0;
  ASSERT_TRUE(node_->app().shops().UpdateSettings(shop_.id, no_hold).ok());
  auto [code, promoter] = Promoter();
  ASSERT_FALSE(code.empty());
  auto referred = PostOrder("f-1", "bob", code);
  ASSERT_EQ(referred.status, 201) << referred.body;
  ASSERT_EQ(json::parse(referred.body)["referral"]["status"], "qualified");

  auto partial = Refund("f-1", R"({"refund_id": 9001, "amount": "20.00"})");
  ASSERT_EQ(partial.status, 201) << partial.body;
  json p = json::parse(partial.body);
  EXPECT_EQ(p["created"], true);
  EXPECT_EQ(p["order"]["refunded"]["minor"], 2000);
  EXPECT_EQ(p["refund"]["refund_id"], "9001");
  EXPECT_EQ(p["referral"]["revenue"]["amount"], "100.00");
  EXPECT_EQ(p["reward"]["status"], "released");

  auto replay = Refund("f-1", R"({"refund_id": "9001", "amount": 20})");
  ASSERT_EQ(replay.status, 200) << replay.body;
  EXPECT_EQ(json::parse(replay.body)["order"]["refunded"]["minor"], 2000);

  auto rest = Refund("f-1", R"({"refund_id": "9002", "amount": "100.00"})");
  ASSERT_EQ(rest.status, 201) << rest.body;
  json r = json::parse(rest.body);
  EXPECT_EQ(r["reward"]["status"], "clawed_back");
  EXPECT_EQ(r["reward"]["reason"], "refunded");

  auto ledger = http_.Get(base_ + "/api/v1/promoters/" + std::to_string(promoter) + "/rewards", Auth());
  ASSERT_EQ(ledger.status, 200) << ledger.body;
  json l = json::parse(ledger.body);
  ASSERT_EQ(l["rewards"].size(), 1u);
  EXPECT_EQ(l["rewards"][0]["status"], "clawed_back");
  ASSERT_EQ(l["ledger"].size(), 4u);
  EXPECT_EQ(l["ledger"][2]["kind"], "clawed_back");
  EXPECT_EQ(l["ledger"][2]["amount"]["minor"], 1000);
  // No order carried the voucher: the clawback voided it.
  EXPECT_EQ(l["ledger"][3]["kind"], "voucher_voided");
  EXPECT_TRUE(l["rewards"][0]["voucher_voided_at"].is_string()) << ledger.body;
  EXPECT_TRUE(l["rewards"][0]["voucher_used_order"].is_null()) << ledger.body;
}

// A promoter's answer click over HTTP (the I/O thread's inline path) remembers the network it
// came from: a friend's order from that address goes to review as shared_network.
TEST_P(MoneyApiTest, AFriendOnTheNetworkThePromoterClickedFromIsHeldForReview) {
  ASSERT_EQ(PostOrder("p-1", "anna").status, 201);
  auto exported = node_->app().privacy().Export(shop_.id, "anna");
  ASSERT_TRUE(exported.ok() && !exported->surveys.empty());
  const std::string token = node_->app().links().SurveyToken(exported->surveys[0].id);
  auto click = http_.Get(base_ + "/s/" + token + "/10",
                         {{"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}});
  ASSERT_EQ(click.status, 200) << click.body;
  auto promoter = node_->app().privacy().Export(shop_.id, "anna");
  ASSERT_TRUE(promoter.ok() && promoter->code.has_value()) << "the click made Anna a promoter";
  auto order = [&](const std::string& id, const std::string& customer, const std::string& ip) {
    json j{{"id", id},
           {"created_at", FormatRfc3339(std::chrono::floor<std::chrono::seconds>(SystemClock().Now()))},
           {"currency", "EUR"},
           {"total_price", "120.00"},
           {"browser_ip", ip},
           {"customer", {{"id", customer}, {"email", customer + "@example.com"}}},
           {"discount_codes", json::array({promoter->code->code})}};
    auto r = http_.Post(base_ + "/api/v1/orders", j.dump(), Auth());
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body, nullptr, false);
  };
  json same = order("f-1", "bob", "127.0.0.1");
  EXPECT_EQ(same["referral"]["decision"], "pending_review") << same.dump();
  EXPECT_EQ(same["referral"]["status"], "shared_network") << same.dump();
  EXPECT_EQ(same["referral"]["rules"][0]["rule"], "shared_network") << same.dump();
  json other = order("f-2", "carl", "198.51.100.9");
  EXPECT_EQ(other["referral"]["decision"], "qualified") << other.dump();
}

// The rewards endpoint and the promoter's page show where each voucher stands: one used by an
// order stays usable through a clawback (the ledger names the order), one unused is voided, and
// an order carrying a voided voucher is named in the ledger.
TEST_P(MoneyApiTest, TheRewardsShowWhetherEachVoucherWasUsedOrVoided) {
  app::SettingsPatch no_hold;
  no_hold.reward_hold_seconds = 0;
  ASSERT_TRUE(node_->app().shops().UpdateSettings(shop_.id, no_hold).ok());
  auto [code, promoter] = Promoter();
  ASSERT_FALSE(code.empty());
  std::string vouchers[2];
  for (int i = 0; i < 2; ++i) {
    auto referred = PostOrder("f-" + std::to_string(i), "friend-" + std::to_string(i), code);
    ASSERT_EQ(referred.status, 201) << referred.body;
    vouchers[i] = json::parse(referred.body)["referral"].value("reward_code", "");
    ASSERT_FALSE(vouchers[i].empty()) << referred.body;
  }
  ASSERT_EQ(PostOrder("p-2", "anna", vouchers[0]).status, 201);  // Anna spends the first
  ASSERT_EQ(http_.Post(base_ + "/api/v1/orders/f-0/cancel", "", Auth()).status, 201);
  ASSERT_EQ(http_.Post(base_ + "/api/v1/orders/f-1/cancel", "", Auth()).status, 201);
  ASSERT_EQ(PostOrder("g-1", "carl", vouchers[1]).status, 201);  // the voided one, taken anyway

  auto ledger = http_.Get(base_ + "/api/v1/promoters/" + std::to_string(promoter) + "/rewards", Auth());
  ASSERT_EQ(ledger.status, 200) << ledger.body;
  json l = json::parse(ledger.body);
  ASSERT_EQ(l["rewards"].size(), 2u);
  for (const auto& w : l["rewards"]) {
    EXPECT_EQ(w["status"], "clawed_back");
    if (w["code"] == vouchers[0]) {
      EXPECT_EQ(w["voucher_used_order"], "p-2");
      EXPECT_TRUE(w["voucher_voided_at"].is_null());
    } else {
      EXPECT_EQ(w["voucher_used_order"], "g-1");
      EXPECT_TRUE(w["voucher_voided_at"].is_string());
    }
  }
  std::vector<std::string> kinds;
  for (const auto& e : l["ledger"])
    kinds.push_back(e["kind"].get<std::string>() + ":" + e["reason"].get<std::string>());
  EXPECT_NE(
      std::find(kinds.begin(), kinds.end(), "voucher_redeemed:already used in order p-2: settle it by hand"),
      kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "voucher_voided:unused at the clawback"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "voided_voucher_used:order g-1 carried the voided voucher"),
            kinds.end());

  auto page = http_.Get(base_ + "/api/v1/promoters/anna", Auth());
  ASSERT_EQ(page.status, 200) << page.body;
  std::vector<std::string> states;
  const json pj = json::parse(page.body);
  for (const auto& w : pj["rewards"]) states.push_back(w["voucher"]);
  std::sort(states.begin(), states.end());
  EXPECT_EQ(states, (std::vector<std::string>{"used in order p-2", "voided, then used in order g-1"}))
      << page.body;
}

TEST_P(MoneyApiTest, TheHoldIsSetInSecondsAndTheOldNameInDaysIsStillTaken) {
  auto shown = http_.Get(base_ + "/api/v1/settings", Auth());
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(json::parse(shown.body)["reward_hold_seconds"], 1209600);
  EXPECT_FALSE(json::parse(shown.body).contains("reward_hold_days"));
  auto five = http_.Patch(base_ + "/api/v1/settings", R"({"reward_hold_seconds": 5})", Auth());
  ASSERT_EQ(five.status, 200) << five.body;
  EXPECT_EQ(json::parse(five.body)["reward_hold_seconds"], 5);
  auto days = http_.Patch(base_ + "/api/v1/settings", R"({"reward_hold_days": 2})", Auth());
  ASSERT_EQ(days.status, 200) << days.body;
  EXPECT_EQ(json::parse(days.body)["reward_hold_seconds"], 2 * 86400);
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings", R"({"reward_hold_seconds": -1})", Auth()), 400,
                "reward_hold_seconds");
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings", R"({"reward_hold_days": 400})", Auth()), 400,
                "reward_hold_days");
  ExpectProblem(
      http_.Patch(base_ + "/api/v1/settings", R"({"reward_hold_days": 1, "reward_hold_seconds": 1})", Auth()),
      400, "reward_hold_days");
}

TEST_P(MoneyApiTest, TheContactEmailIsAValidatedSetting) {
  auto shown = http_.Get(base_ + "/api/v1/settings", Auth());
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(json::parse(shown.body)["contact_email"], "");
  auto set = http_.Patch(base_ + "/api/v1/settings", R"({"contact_email": "Owner@Trail.Example"})", Auth());
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(json::parse(set.body)["contact_email"], "owner@trail.example");
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings", R"({"contact_email": "owner@"})", Auth()), 400,
                "contact_email");
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings", R"({"contact_email": 5})", Auth()), 400,
                "contact_email");
  EXPECT_EQ(json::parse(http_.Get(base_ + "/api/v1/settings", Auth()).body)["contact_email"],
            "owner@trail.example");
  auto unset = http_.Patch(base_ + "/api/v1/settings", R"({"contact_email": ""})", Auth());
  ASSERT_EQ(unset.status, 200) << unset.body;
  EXPECT_EQ(json::parse(unset.body)["contact_email"], "");
}

TEST_P(MoneyApiTest, ALandingURLWithACodeIsAReferralAfterAShareVisit) {
  auto shown = http_.Get(base_ + "/api/v1/settings", Auth());
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(json::parse(shown.body)["attribution_days"], 30);
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings", R"({"attribution_days": -1})", Auth()), 400,
                "attribution_days");
  auto [code, promoter] = Promoter();
  ASSERT_FALSE(code.empty());
  ASSERT_EQ(http_.Get(base_ + "/r/" + code).status / 100, 3);  // the share link's visit
  for (int i = 0; i < 50; ++i) {                               // counted by the node in a set, a moment later
    json p = json::parse(http_.Get(base_ + "/api/v1/promoters/anna", Auth()).body, nullptr, false);
    if (!p.is_discarded() && p["codes"][0]["share_visits"] == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
  std::this_thread::sleep_for(std::chrono::milliseconds{1100});  // orders carry whole seconds
  json o{{"id", "l-1"},
         {"created_at", FormatRfc3339(std::chrono::floor<std::chrono::seconds>(SystemClock().Now()))},
         {"currency", "EUR"},
         {"total_price", "80.00"},
         {"landing_site", "/products/trail-shoe?utm_source=vouch&code=" + code},
         {"customer", {{"id", "bob"}, {"email", "bob@example.com"}}}};
  auto r = http_.Post(base_ + "/api/v1/orders", o.dump(), Auth());
  ASSERT_EQ(r.status, 201) << r.body;
  json ref = json::parse(r.body)["referral"];
  ASSERT_TRUE(ref.is_object()) << r.body;
  EXPECT_EQ(ref["code"], code);
  EXPECT_EQ(ref["decision"], "qualified");
}

TEST_P(MoneyApiTest, BadRefundsAreProblemsNamingTheField) {
  ASSERT_EQ(PostOrder("o-1", "carl").status, 201);
  ExpectProblem(Refund("o-1", "not json"), 400, "body");
  ExpectProblem(Refund("o-1", R"({"amount": "1.00"})"), 400, "refund_id");
  ExpectProblem(Refund("o-1", R"({"refund_id": ["x"], "amount": "1.00"})"), 400, "refund_id");
  ExpectProblem(Refund("o-1", R"({"refund_id": "r"})"), 400, "amount");
  ExpectProblem(Refund("o-1", R"({"refund_id": "r", "amount": true})"), 400, "amount");
  ExpectProblem(Refund("o-1", R"({"refund_id": "r", "amount": "120.01"})"), 400, "amount");
  ExpectProblem(Refund("o-1", R"({"refund_id": "r", "amount": "-1"})"), 400, "amount");
  ExpectProblem(Refund("nope", R"({"refund_id": "r", "amount": "1.00"})"), 404, "id");
  ASSERT_EQ(Refund("o-1", R"({"refund_id": "r", "amount": "1.00"})").status, 201);
  ExpectProblem(Refund("o-1", R"({"refund_id": "r", "amount": "2.00"})"), 409, "refund_id");
  auto no_key = http_.Post(base_ + "/api/v1/orders/o-1/refunds", R"({"refund_id": "x", "amount": "1"})",
                           {{"Content-Type", "application/json"}});
  EXPECT_EQ(no_key.status, 401);
  ExpectProblem(http_.Get(base_ + "/api/v1/promoters/abc/rewards", Auth()), 404, "id");
  ExpectProblem(http_.Get(base_ + "/api/v1/promoters/999999/rewards", Auth()), 404, "");
}

TEST_P(MoneyApiTest, ACancellationIsAnsweredOnceAsNew) {
  ASSERT_EQ(PostOrder("o/1", "carl").status, 201);  // the id travels percent-encoded
  auto first = http_.Post(base_ + "/api/v1/orders/o%2F1/cancel", "", Auth());
  ASSERT_EQ(first.status, 201) << first.body;
  json j = json::parse(first.body);
  EXPECT_EQ(j["order"]["id"], "o/1");
  EXPECT_TRUE(j["order"]["cancelled_at"].is_string());
  EXPECT_TRUE(j["referral"].is_null());
  auto again = http_.Post(base_ + "/api/v1/orders/o%2F1/cancel", "", Auth());
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json::parse(again.body)["order"]["cancelled_at"], j["order"]["cancelled_at"]);
}

// The review queue: a referral held for review (a disposable mailbox) is listed with its rules,
// approved once (its reward held), and the list filters and pages.
// POST /api/v1/codes/{code}/resume: a code paused by the coupon-leak rule runs again, the same
// call again answers it unchanged, a code never paused is a 409 and an unknown code (or another
// shop's) a 404, both naming the field code.
TEST_P(MoneyApiTest, APausedCodeIsResumed) {
  ASSERT_EQ(http_.Patch(base_ + "/api/v1/settings", R"({"coupon_leak_buyers": 2})", Auth()).status, 200);
  auto [code, promoter] = Promoter();
  ASSERT_FALSE(code.empty());
  const std::string resume = base_ + "/api/v1/codes/" + code + "/resume";
  ExpectProblem(http_.Post(resume, "", Auth()), 409, "code");
  ExpectProblem(http_.Post(base_ + "/api/v1/codes/NO-SUCH/resume", "", Auth()), 404, "code");
  auto other = node_->app().shops().Create("Other Shop", "https://other.example");
  ASSERT_TRUE(other.ok());
  ExpectProblem(http_.Post(resume, "", {{"Authorization", "Bearer " + other->api_key}}), 404, "code");

  ASSERT_EQ(PostOrder("f-1", "bob", code).status, 201);
  auto leaked = PostOrder("f-2", "carl", code);
  ASSERT_EQ(leaked.status, 201) << leaked.body;
  EXPECT_EQ(json::parse(leaked.body)["referral"]["status"], "coupon_leak");
  auto page = [&] {
    auto r = http_.Get(base_ + "/api/v1/promoters/anna", Auth());
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body)["codes"][0];
  };
  EXPECT_FALSE(page()["paused_at"].is_null());
  EXPECT_TRUE(page()["resumed_at"].is_null());

  auto resumed = http_.Post(resume, "", Auth());
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  json k = json::parse(resumed.body)["code"];
  EXPECT_EQ(k["code"], code);
  EXPECT_TRUE(k["paused_at"].is_null());
  ASSERT_TRUE(k["resumed_at"].is_string());
  EXPECT_EQ(page()["resumed_at"], k["resumed_at"]);
  EXPECT_TRUE(page()["paused_at"].is_null());
  auto again = http_.Post(resume, "", Auth());
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json::parse(again.body)["code"]["resumed_at"], k["resumed_at"]);
  // The next buyer is no leak: the count restarted.
  auto next = PostOrder("f-3", "dina", code);
  ASSERT_EQ(next.status, 201) << next.body;
  EXPECT_EQ(json::parse(next.body)["referral"]["status"], "qualified");
}

TEST_P(MoneyApiTest, TheReviewQueueListsApprovesAndRejects) {
  auto [code, promoter] = Promoter();
  ASSERT_FALSE(code.empty());
  ASSERT_EQ(PostOrder("f-1", "bob", code).status, 201);
  json o{{"id", "f-3"},
         {"created_at", FormatRfc3339(std::chrono::floor<std::chrono::seconds>(SystemClock().Now()))},
         {"currency", "EUR"},
         {"total_price", "80.00"},
         {"customer", {{"id", "dora"}, {"email", "dora@yopmail.com"}}},
         {"discount_codes", {code}}};
  auto pending = http_.Post(base_ + "/api/v1/orders", o.dump(), Auth());
  ASSERT_EQ(pending.status, 201) << pending.body;
  json pr = json::parse(pending.body)["referral"];
  EXPECT_EQ(pr["decision"], "pending_review");
  EXPECT_EQ(pr["rules"][0]["rule"], "disposable_email");
  const int64_t id = pr["id"].get<int64_t>();

  auto queue = http_.Get(base_ + "/api/v1/referrals?status=pending_review", Auth());
  ASSERT_EQ(queue.status, 200) << queue.body;
  json q = json::parse(queue.body);
  ASSERT_EQ(q["referrals"].size(), 1u);
  const json& row = q["referrals"][0];
  EXPECT_EQ(row["id"], id);
  EXPECT_EQ(row["order_id"], "f-3");
  EXPECT_EQ(row["code"], code);
  EXPECT_EQ(row["promoter_customer_id"], promoter);
  EXPECT_EQ(row["status"], "pending_review");
  EXPECT_EQ(row["rules"][0]["rule"], "disposable_email");
  EXPECT_EQ(row["revenue"]["minor"], 8000);
  EXPECT_TRUE(row["reward"].is_null());

  auto first = http_.Get(base_ + "/api/v1/referrals?limit=1", Auth());
  ASSERT_EQ(first.status, 200);
  json a = json::parse(first.body);
  ASSERT_EQ(a["referrals"].size(), 1u);
  EXPECT_EQ(a["referrals"][0]["id"], id) << "newest first";
  auto rest = http_.Get(base_ + "/api/v1/referrals?limit=1&after=" + a["next_after"].dump(), Auth());
  ASSERT_EQ(rest.status, 200);
  json b = json::parse(rest.body);
  ASSERT_EQ(b["referrals"].size(), 1u);
  EXPECT_EQ(b["referrals"][0]["order_id"], "f-1");
  EXPECT_EQ(b["referrals"][0]["status"], "qualified");

  auto approved = http_.Post(base_ + "/api/v1/referrals/" + std::to_string(id) + "/approve", "", Auth());
  ASSERT_EQ(approved.status, 200) << approved.body;
  json ap = json::parse(approved.body)["referral"];
  EXPECT_EQ(ap["status"], "qualified");
  EXPECT_EQ(ap["reward"]["status"], "held");
  ExpectProblem(http_.Post(base_ + "/api/v1/referrals/" + std::to_string(id) + "/reject", "", Auth()), 409,
                "id");
  ExpectProblem(http_.Post(base_ + "/api/v1/referrals/999999/approve", "", Auth()), 404, "id");
  ExpectProblem(http_.Post(base_ + "/api/v1/referrals/x1/reject", "", Auth()), 404, "id");
  ExpectProblem(http_.Get(base_ + "/api/v1/referrals?status=maybe", Auth()), 400, "status");
  ExpectProblem(http_.Get(base_ + "/api/v1/referrals?limit=0", Auth()), 400, "limit");
  EXPECT_EQ(
      json::parse(http_.Get(base_ + "/api/v1/referrals?status=pending_review", Auth()).body)["referrals"]
          .size(),
      0u);
}

INSTANTIATE_TEST_SUITE_P(Stores, MoneyApiTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::main
