// Campaigns and the channel comparison over real HTTP (issue 16), on every store: a promoter's
// friend, two buyers with an influencer's code (one buys again) and an organic buyer, compared.
#include <chrono>

#include "api/dashboard_fixture.h"
#include "app/store_app_test.h"

namespace vouch::api {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::seconds;

class CampaignsApiTest : public DashboardTest {
 protected:
  // An order placed now by `customer` (its own email and no phone), carrying `codes`.
  void Order(const std::string& id, const std::string& customer, std::vector<std::string> codes = {}) {
    app::OrderInput o = app::SampleOrder(id, customer, clock_.Now());
    o.discount_codes = std::move(codes);
    auto r = app_->ingest().Order(Shop(), o);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  // `customer` orders, is surveyed and answers `score`; returns their referral code, if any.
  std::string Promoter(const std::string& customer, int score) {
    Order("o-" + customer, customer);
    auto order = store_->Read<std::optional<store::Order>>(
        [&](store::ReadTx& tx) { return tx.orders().Find(shop_, "o-" + customer); });
    EXPECT_TRUE(order.ok() && order->has_value() && (*order)->survey_id);
    const store::Id survey = *(*order)->survey_id;
    clock_.Advance(days{3} + seconds{1});
    EXPECT_TRUE(
        store_->Write<Ok>([&](store::Tx& tx) { return tx.surveys().MarkSent(survey, clock_.Now()); }).ok());
    clock_.Advance(seconds{60});
    auto v = app_->answers().RecordClick(app_->links().SurveyToken(survey), score, "GET", kBrowser);
    EXPECT_TRUE(v.ok()) << v.error().message;
    return v.ok() && v->code ? v->code->code : "";
  }
};

TEST_P(CampaignsApiTest, CampaignsAreValidatedListedAndDeleted) {
  const std::string code = Promoter("ann", 10);
  ASSERT_FALSE(code.empty());
  ExpectProblem(http_.Post(base_ + "/api/v1/campaigns",
                           R"({"name":"Lena","kind":"tv","cost":"1.00","codes":["A"]})", Key()),
                400, "kind");
  ExpectProblem(http_.Post(base_ + "/api/v1/campaigns",
                           R"({"name":"Lena","kind":"influencer","cost":"-1","codes":["A"]})", Key()),
                400, "cost");
  ExpectProblem(http_.Post(base_ + "/api/v1/campaigns",
                           R"({"name":"Lena","kind":"influencer","cost":"1.00","codes":[]})", Key()),
                400, "codes");
  ExpectProblem(http_.Post(base_ + "/api/v1/campaigns",
                           R"({"name":"Lena","kind":"other","cost":"1.00","codes":["A"],"x":1})", Key()),
                400, "x");
  ExpectProblem(
      http_.Post(base_ + "/api/v1/campaigns", R"({"kind":"other","cost":"1.00","codes":["A"]})", Key()), 400,
      "name");
  // A promoter's referral code cannot be a campaign's: its orders belong to the promoter.
  ExpectProblem(
      http_.Post(base_ + "/api/v1/campaigns",
                 json{{"name", "Steal"}, {"kind", "other"}, {"cost", "1.00"}, {"codes", {code}}}.dump(),
                 Key()),
      409, "codes");
  auto created = http_.Post(
      base_ + "/api/v1/campaigns",
      R"({"name":"Lena's reel","kind":"influencer","cost":"300.00","codes":[" lena10 ","LENA10"]})", Key());
  ASSERT_EQ(created.status, 201) << created.body;
  json c = json::parse(created.body);
  EXPECT_EQ(c["codes"], json::array({"LENA10"}));
  EXPECT_EQ(c["cost"]["minor"], 30000);
  ExpectProblem(http_.Post(base_ + "/api/v1/campaigns",
                           R"({"name":"Dup","kind":"other","cost":"1.00","codes":["lena10"]})", Key()),
                409, "codes");
  auto list = http_.Get(base_ + "/api/v1/campaigns", Key());
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(json::parse(list.body)["campaigns"].size(), 1u);
  const std::string id = std::to_string(c["id"].get<int64_t>());
  // A viewer reads but does not change.
  Browser viewer = SignIn("vic@example.com", "viewer horse");
  EXPECT_EQ(http_.Get(base_ + "/api/v1/campaigns", viewer.Cookie()).status, 200);
  EXPECT_EQ(http_.Request("DELETE", base_ + "/api/v1/campaigns/" + id, {}, viewer.Unsafe()).status, 403);
  EXPECT_EQ(http_.Request("DELETE", base_ + "/api/v1/campaigns/" + id, {}, Key()).status, 204);
  ExpectProblem(http_.Request("DELETE", base_ + "/api/v1/campaigns/" + id, {}, Key()), 404, "id");
}

// Program: one friend (cost: the 15% friend discount on 59.90, 10.57; the reward is still held).
// Campaign: 300.00 for two new customers (one orders again), 150.00 each. Organic: the promoter
// and one buyer without a code.
TEST_P(CampaignsApiTest, ChannelsAreComparedWithTheirIntervals) {
  const Instant from = clock_.Now();
  const std::string code = Promoter("ann", 10);
  ASSERT_FALSE(code.empty());
  ASSERT_EQ(
      http_
          .Post(base_ + "/api/v1/campaigns",
                R"({"name":"Lena's reel","kind":"influencer","cost":"300.00","codes":["LENA10"]})", Key())
          .status,
      201);
  Order("o-friend", "ben", {code});
  Order("o-c1", "cem", {"lena10"});
  Order("o-c2", "dora", {"LENA10", "OTHER"});
  clock_.Advance(days{1});
  Order("o-c2b", "dora");
  Order("o-org", "eva", {"NOTACAMPAIGN"});
  const std::string day = [](Instant t) { return FormatRfc3339(t).substr(0, 10); }(from);
  auto r = http_.Get(base_ + "/api/v1/compare/channels?from=" + day + "&to=2100-01-01", Key());
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  ASSERT_EQ(j["channels"].size(), 3u) << j.dump();
  const json& program = j["channels"][0];
  EXPECT_EQ(program["channel"], "referral_program");
  EXPECT_EQ(program["new_customers"], 1);
  EXPECT_EQ(program["cost"]["minor"], 1057);  // 5990 × 15/85
  EXPECT_EQ(program["revenue"]["minor"], 5990);
  const json& campaign = j["channels"][1];
  EXPECT_EQ(campaign["channel"], "campaign");
  EXPECT_EQ(campaign["campaign"]["name"], "Lena's reel");
  EXPECT_EQ(campaign["new_customers"], 2);
  EXPECT_EQ(campaign["cost_per_new_customer_minor"], 15000.0);
  EXPECT_EQ(campaign["revenue"]["minor"], 3 * 5990) << "the repeat order counts to its customer";
  EXPECT_EQ(campaign["repeat_customers"], 1);
  EXPECT_EQ(campaign["repeat_rate"]["rate"], 0.5);
  EXPECT_LT(campaign["repeat_rate"]["ci"]["low"].get<double>(), 0.5);
  EXPECT_GT(campaign["repeat_rate"]["ci"]["high"].get<double>(), 0.5);
  ASSERT_TRUE(campaign["vs_program"].is_object()) << campaign.dump();
  EXPECT_NEAR(campaign["vs_program"]["difference_minor"].get<double>(), 1057.1 - 15000.0, 0.2);
  EXPECT_LE(campaign["vs_program"]["ci"]["low"].get<double>(),
            campaign["vs_program"]["difference_minor"].get<double>());
  const json& organic = j["channels"][2];
  EXPECT_EQ(organic["channel"], "organic");
  EXPECT_EQ(organic["new_customers"], 2) << "the promoter and the buyer without a campaign's code";
  EXPECT_EQ(organic["nps"]["n"], 1) << "the promoter's own answer";
  EXPECT_EQ(organic["nps"]["nps"], 100.0);
  // The same request, the same bootstrap.
  auto again = http_.Get(base_ + "/api/v1/compare/channels?from=" + day + "&to=2100-01-01", Key());
  EXPECT_EQ(json::parse(again.body)["channels"][1]["vs_program"], campaign["vs_program"]);
  // Customers whose first order falls before the range are not new in it.
  auto later = http_.Get(
      base_ + "/api/v1/compare/channels?from=" + FormatRfc3339(clock_.Now() - seconds{1}) + "&to=2100-01-01",
      Key());
  ASSERT_EQ(later.status, 200) << later.body;
  json l = json::parse(later.body);
  EXPECT_EQ(l["channels"][1]["new_customers"], 0) << "dora's second order does not make her new";
  EXPECT_EQ(l["channels"][2]["new_customers"], 1);
  ExpectProblem(http_.Get(base_ + "/api/v1/compare/channels?from=2026-11-20&to=2026-11-01", Key()), 400,
                "to");
}

INSTANTIATE_TEST_SUITE_P(Stores, CampaignsApiTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::api
