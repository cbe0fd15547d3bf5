// Offer experiments over real HTTP (issue 16), on every store: validation, one running
// experiment at a time, promoters split between the variants with each code carrying its
// variant's offer (page and reward), the sequential test finding the better offer, adopting it,
// and stopping.
#include <chrono>

#include "api/dashboard_fixture.h"
#include "app/store_app_test.h"
#include "core/experiments.h"

namespace vouch::api {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::seconds;

constexpr const char* kTwoOffers = R"({
  "name": "Bigger friend discount",
  "metric": "referred_orders",
  "minimum_effect": 0.5,
  "window_days": 1,
  "variants": [
    {"name": "Control", "discount_kind": "percent", "discount_value": 15, "reward_minor": 1000},
    {"name": "Generous", "discount_kind": "percent", "discount_value": 25, "reward_minor": 2000,
     "share_text": "Try {{shop_name}}: {{friend_offer}} off! {{reward_disclosure}}"}
  ]})";

class ExperimentsApiTest : public DashboardTest {
 protected:
  void Order(const std::string& id, const std::string& customer, std::vector<std::string> codes = {}) {
    app::OrderInput o = app::SampleOrder(id, customer, clock_.Now());
    o.discount_codes = std::move(codes);
    auto r = app_->ingest().Order(Shop(), o);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  // `customer` orders, is surveyed and answers 10: the answer page as they see it.
  app::AnswerView Promoter(const std::string& customer) {
    Order("o-" + customer, customer);
    auto order = store_->Read<std::optional<store::Order>>(
        [&](store::ReadTx& tx) { return tx.orders().Find(shop_, "o-" + customer); });
    EXPECT_TRUE(order.ok() && order->has_value() && (*order)->survey_id);
    const store::Id survey = *(*order)->survey_id;
    clock_.Advance(days{3} + seconds{1});
    EXPECT_TRUE(
        store_->Write<Ok>([&](store::Tx& tx) { return tx.surveys().MarkSent(survey, clock_.Now()); }).ok());
    clock_.Advance(seconds{60});
    auto v = app_->answers().RecordClick(app_->links().SurveyToken(survey), 10, "GET", kBrowser);
    EXPECT_TRUE(v.ok() && v->code) << (v.ok() ? "no code" : v.error().message);
    return v.ok() ? *v : app::AnswerView{};
  }
};

TEST_P(ExperimentsApiTest, ExperimentsAreValidatedAndOneRunsAtATime) {
  const std::string url = base_ + "/api/v1/experiments";
  json good = json::parse(kTwoOffers);
  auto bad = [&](const std::function<void(json&)>& change, const std::string& field) {
    json j = good;
    change(j);
    ExpectProblem(http_.Post(url, j.dump(), Key()), 400, field);
  };
  bad([](json& j) { j["metric"] = "clicks"; }, "metric");
  bad([](json& j) { j["minimum_effect"] = 0; }, "minimum_effect");
  bad([](json& j) { j["window_days"] = 91; }, "window_days");
  bad([](json& j) { j["variants"].erase(1); }, "variants");
  bad([](json& j) { j["variants"][1]["discount_value"] = 101; }, "variants[1].discount_value");
  bad([](json& j) { j["variants"][1]["discount_kind"] = "free"; }, "variants[1].discount_kind");
  bad([](json& j) { j["variants"][1]["share_text"] = "Buy at {{shop_name}}!"; }, "variants[1].share_text");
  bad([](json& j) { j["variants"][0]["colour"] = "red"; }, "variants[0].colour");
  bad([](json& j) { j["extra"] = 1; }, "extra");
  bad([](json& j) { j.erase("name"); }, "name");
  auto created = http_.Post(url, good.dump(), Key());
  ASSERT_EQ(created.status, 201) << created.body;
  json e = json::parse(created.body);
  EXPECT_EQ(e["status"], "running");
  EXPECT_EQ(e["variants"].size(), 2u);
  EXPECT_EQ(e["variants"][1]["reward_minor"], 2000);
  EXPECT_EQ(e["minimum_effect"], 0.5);
  ExpectProblem(http_.Post(url, good.dump(), Key()), 409, "name");
  const std::string id = std::to_string(e["id"].get<int64_t>());
  // A viewer reads but does not change.
  Browser viewer = SignIn("vic@example.com", "viewer horse");
  EXPECT_EQ(http_.Get(url, viewer.Cookie()).status, 200);
  EXPECT_EQ(http_.Request("POST", url + "/" + id + "/stop", {}, viewer.Unsafe()).status, 403);
  auto got = http_.Get(url + "/" + id, Key());
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(json::parse(got.body)["results"]["decision"], "running");
  ExpectProblem(http_.Post(url + "/" + id + "/adopt", "", Key()), 409, "variant");
  ExpectProblem(http_.Post(url + "/" + id + "/adopt", R"({"variant":7})", Key()), 400, "variant");
  auto stopped = http_.Post(url + "/" + id + "/stop", "", Key());
  ASSERT_EQ(stopped.status, 200) << stopped.body;
  EXPECT_EQ(json::parse(stopped.body)["status"], "stopped");
  ExpectProblem(http_.Post(url + "/" + id + "/stop", "", Key()), 409, "id");
  ExpectProblem(http_.Get(url + "/999999", Key()), 404, "id");
  // Stopped, another may start.
  EXPECT_EQ(http_.Post(url, good.dump(), Key()).status, 201);
  auto list = http_.Get(url, Key());
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(json::parse(list.body)["experiments"].size(), 2u);
  EXPECT_EQ(json::parse(list.body)["experiments"][1]["status"], "stopped") << "newest first";
}

// 32 promoters after the start (and one before, who stays out): each code carries its variant's
// offer on the answer page and in its rewards. Control promoters bring 0 or 1 friends, the
// generous ones 2 or 3: the test names the generous offer the winner, and adopting it makes it
// the shop's offer and share text.
TEST_P(ExperimentsApiTest, PromotersAreSplitAndTheBetterOfferWinsAndIsAdopted) {
  const app::AnswerView before = Promoter("early");
  EXPECT_EQ(before.shop.settings.discount_value, 15) << "the shop's own offer";
  auto created = http_.Post(base_ + "/api/v1/experiments", kTwoOffers, Key());
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = json::parse(created.body)["id"].get<int64_t>();
  const std::string url = base_ + "/api/v1/experiments/" + std::to_string(id);
  int arms[2] = {0, 0};
  int friends = 0;
  std::map<std::string, int> variant_of;  // by code
  for (int i = 0; i < 32; ++i) {
    const app::AnswerView v = Promoter("p" + std::to_string(i));
    ASSERT_TRUE(v.code);
    const int variant = core::AssignVariant(id, v.survey.customer_id, 2);
    ++arms[variant];
    EXPECT_EQ(v.shop.settings.discount_value, variant == 0 ? 15 : 25) << "the page shows the variant's offer";
    EXPECT_NE(v.offer_text.find(variant == 0 ? "15%" : "25%"), std::string::npos) << v.offer_text;
    variant_of[v.code->code] = variant;
    const int n = variant == 0 ? i % 2 : 2 + i % 2;
    for (int f = 0; f < n; ++f) {
      const std::string name = "friend" + std::to_string(++friends);
      Order("o-" + name, name, {v.code->code});
    }
  }
  ASSERT_GE(arms[0], 10);
  ASSERT_GE(arms[1], 10);
  // A generous promoter's friend earned the generous reward.
  auto rows = store_->Read<std::vector<store::ReferralRow>>([&](store::ReadTx& tx) {
    store::ReferralFilter f;
    f.from = Instant{};
    f.to = clock_.Now() + days{1};
    f.limit = 500;
    return tx.referrals().List(shop_, f);
  });
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(static_cast<int>(rows->size()), friends);
  for (const auto& r : *rows) {
    ASSERT_TRUE(r.reward);
    EXPECT_EQ(r.reward->amount_minor, variant_of.at(r.code) == 1 ? 2000 : 1000) << "the variant's reward";
  }
  clock_.Advance(days{2});
  auto got = http_.Get(url, Key());
  ASSERT_EQ(got.status, 200) << got.body;
  json r = json::parse(got.body)["results"];
  EXPECT_EQ(r["variants"][0]["promoters"], arms[0]) << "the promoter from before the start is not in it";
  EXPECT_EQ(r["variants"][1]["promoters"], arms[1]);
  EXPECT_EQ(r["variants"][0]["complete"], arms[0]);
  EXPECT_EQ(r["decision"], "winner") << r.dump();
  EXPECT_EQ(r["winner"], 1);
  ASSERT_EQ(r["comparisons"].size(), 1u);
  EXPECT_GT(r["comparisons"][0]["difference"].get<double>(), 1.5);
  EXPECT_GT(r["comparisons"][0]["ci_low"].get<double>(), 0.0);
  EXPECT_LT(r["comparisons"][0]["p_value"].get<double>(), 0.05);
  EXPECT_EQ(r["unit"], "orders");
  // Adopting the winner in one call: the offer, the share text, the experiment ended.
  auto adopted = http_.Post(url + "/adopt", "", Key());
  ASSERT_EQ(adopted.status, 200) << adopted.body;
  EXPECT_EQ(json::parse(adopted.body)["status"], "adopted");
  EXPECT_EQ(json::parse(adopted.body)["adopted_variant"], 1);
  const store::Shop after = Shop();
  EXPECT_EQ(after.settings.discount_value, 25);
  EXPECT_EQ(after.settings.reward_minor, 2000);
  auto settings = http_.Get(base_ + "/api/v1/settings", Key());
  ASSERT_EQ(settings.status, 200);
  EXPECT_EQ(json::parse(settings.body)["discount_value"], 25) << "the key's cached shop was forgotten";
  auto overrides = store_->Read<std::map<std::string, std::string>>(
      [&](store::ReadTx& tx) { return tx.templates().Overrides(shop_); });
  ASSERT_TRUE(overrides.ok());
  EXPECT_EQ(overrides->count("en/share.txt"), 1u);
  ExpectProblem(http_.Post(url + "/adopt", "", Key()), 409, "id");
}

// Net revenue per promoter: the friends' orders in the window (59.90 each) less the variant's
// reward for each; an order after the window does not count.
TEST_P(ExperimentsApiTest, NetRevenueCountsTheWindowLessTheVariantsReward) {
  json in = json::parse(kTwoOffers);
  in["metric"] = "net_revenue";
  in["minimum_effect"] = 500;
  auto created = http_.Post(base_ + "/api/v1/experiments", in.dump(), Key());
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = json::parse(created.body)["id"].get<int64_t>();
  int64_t sum[2] = {0, 0};
  int count[2] = {0, 0};
  std::vector<std::string> codes;
  for (int i = 0; i < 6; ++i) {
    const app::AnswerView v = Promoter("p" + std::to_string(i));
    ASSERT_TRUE(v.code);
    const int variant = core::AssignVariant(id, v.survey.customer_id, 2);
    ++count[variant];
    for (int f = 0; f <= i % 2; ++f) {
      const std::string name = "friend" + std::to_string(i) + "-" + std::to_string(f);
      Order("o-" + name, name, {v.code->code});
      sum[variant] += 5990 - (variant == 0 ? 1000 : 2000);
    }
    codes.push_back(v.code->code);
  }
  clock_.Advance(days{2});
  Order("o-late", "late", {codes.back()});  // after the last promoter's one-day window
  auto got = http_.Get(base_ + "/api/v1/experiments/" + std::to_string(id), Key());
  ASSERT_EQ(got.status, 200) << got.body;
  json r = json::parse(got.body)["results"];
  EXPECT_EQ(r["unit"], "minor_units");
  EXPECT_EQ(r["currency"], "EUR");
  for (int v = 0; v < 2; ++v) {
    EXPECT_EQ(r["variants"][v]["complete"], count[v]);
    if (count[v] > 0) {
      EXPECT_NEAR(r["variants"][v]["mean"].get<double>(), static_cast<double>(sum[v]) / count[v], 0.01) << v;
    }
  }
  EXPECT_EQ(r["decision"], "running") << "fewer than 10 promoters per variant decide nothing";
}

// The channel comparison costs each referred friend's discount at their code's own offer: a
// Control friend 15 % (5990 × 15/85 = 1057), a Generous friend 25 % (5990 × 25/75 = 1997); the
// shop's own 15 % for both would be 2114.
TEST_P(ExperimentsApiTest, ChannelComparisonCostsTheVariantsDiscount) {
  const std::string from = FormatRfc3339(clock_.Now()).substr(0, 10);
  auto created = http_.Post(base_ + "/api/v1/experiments", kTwoOffers, Key());
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = json::parse(created.body)["id"].get<int64_t>();
  std::string code_of[2];
  for (int i = 0; i < 40 && (code_of[0].empty() || code_of[1].empty()); ++i) {
    const app::AnswerView v = Promoter("p" + std::to_string(i));
    ASSERT_TRUE(v.code);
    std::string& slot = code_of[core::AssignVariant(id, v.survey.customer_id, 2)];
    if (slot.empty()) slot = v.code->code;
  }
  ASSERT_FALSE(code_of[0].empty());
  ASSERT_FALSE(code_of[1].empty());
  Order("o-f0", "f0", {code_of[0]});
  Order("o-f1", "f1", {code_of[1]});
  auto r = http_.Get(base_ + "/api/v1/compare/channels?from=" + from + "&to=2100-01-01", Key());
  ASSERT_EQ(r.status, 200) << r.body;
  const json program = json::parse(r.body)["channels"][0];
  EXPECT_EQ(program["channel"], "referral_program");
  EXPECT_EQ(program["new_customers"], 2);
  EXPECT_EQ(program["cost"]["minor"], 1057 + 1997) << "each friend's discount at the code's variant";
}

INSTANTIATE_TEST_SUITE_P(Stores, ExperimentsApiTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::api
