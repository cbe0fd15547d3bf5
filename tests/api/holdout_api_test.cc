// The holdout over real HTTP (issue 16), on every store: the setting's validation, a keyed draw
// holding out promoters (thank-you, no code, no activation message), the draw kept across later
// answers and setting changes, and the report of the promoters' own repeat purchases.
#include <chrono>
#include <map>

#include "api/dashboard_fixture.h"
#include "app/store_app_test.h"
#include "core/holdout.h"

namespace vouch::api {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::seconds;

class HoldoutApiTest : public DashboardTest {
 protected:
  void Order(const std::string& id, const std::string& customer, int64_t total = 5990) {
    app::OrderInput o = app::SampleOrder(id, customer, clock_.Now());
    o.total_minor = total;
    o.items.front().price_minor = total;
    auto r = app_->ingest().Order(Shop(), o);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  store::Id SurveyOf(const std::string& order) {
    auto o = store_->Read<std::optional<store::Order>>(
        [&](store::ReadTx& tx) { return tx.orders().Find(shop_, order); });
    EXPECT_TRUE(o.ok() && o->has_value() && (*o)->survey_id);
    return o.ok() && o->has_value() && (*o)->survey_id ? *(*o)->survey_id : 0;
  }
  app::AnswerView Answer(store::Id survey, int score) {
    auto v = app_->answers().RecordClick(app_->links().SurveyToken(survey), score, "GET", kBrowser);
    EXPECT_TRUE(v.ok()) << v.error().message;
    return v.ok() ? *v : app::AnswerView{};
  }
  // `customer` orders, is surveyed and answers 10: the answer page as they see it.
  app::AnswerView Promoter(const std::string& customer) {
    Order("o-" + customer, customer);
    const store::Id survey = SurveyOf("o-" + customer);
    clock_.Advance(days{3} + seconds{1});
    EXPECT_TRUE(
        store_->Write<Ok>([&](store::Tx& tx) { return tx.surveys().MarkSent(survey, clock_.Now()); }).ok());
    clock_.Advance(seconds{60});
    return Answer(survey, 10);
  }
  bool Expected(store::Id customer, int64_t percent) {
    return core::HeldOut(app_->links().KeyedDraw("holdout", shop_, customer), percent);
  }
  std::optional<store::HoldoutDraw> Draw(store::Id customer) {
    auto d = store_->Read<std::optional<store::HoldoutDraw>>(
        [&](store::ReadTx& tx) { return tx.experiments().HoldoutOf(shop_, customer); });
    EXPECT_TRUE(d.ok());
    return d.ok() ? *d : std::nullopt;
  }
  int64_t ActivationJobs(store::Id customer) {
    auto code = store_->Read<std::optional<store::ReferralCode>>(
        [&](store::ReadTx& tx) { return tx.referrals().FindCodeByPromoter(shop_, customer); });
    EXPECT_TRUE(code.ok());
    return code.ok() && code->has_value() ? 1 : 0;
  }
};

TEST_P(HoldoutApiTest, SettingIsValidated) {
  const std::string url = base_ + "/api/v1/settings";
  ExpectProblem(http_.Patch(url, R"({"holdout_percent": 51})", Key()), 400, "holdout_percent");
  ExpectProblem(http_.Patch(url, R"({"holdout_percent": -1})", Key()), 400, "holdout_percent");
  ExpectProblem(http_.Patch(url, R"({"holdout_percent": "ten"})", Key()), 400, "holdout_percent");
  auto got = http_.Get(url, Key());
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(json::parse(got.body)["holdout_percent"], 0) << "off by default";
  auto set = http_.Patch(url, R"({"holdout_percent": 50})", Key());
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(json::parse(set.body)["holdout_percent"], 50);
  EXPECT_EQ(Shop().settings.holdout_percent, 50);
}

TEST_P(HoldoutApiTest, WithoutHoldoutNobodyIsDrawn) {
  auto v = Promoter("anna");
  EXPECT_TRUE(v.code);
  EXPECT_FALSE(Draw(v.survey.customer_id)) << "no holdout, no draw";
  auto got = http_.Get(base_ + "/api/v1/holdout", Key());
  ASSERT_EQ(got.status, 200) << got.body;
  json r = json::parse(got.body);
  EXPECT_EQ(r["activated"]["promoters"], 0);
  EXPECT_EQ(r["held_out"]["promoters"], 0);
  EXPECT_EQ(r["repeat_difference"]["p_value"], 1.0);
  EXPECT_TRUE(r["revenue_difference_minor"]["ci"].is_null());
}

TEST_P(HoldoutApiTest, HeldOutPromotersGetNoCodeAndKeepTheirDraw) {
  ASSERT_EQ(http_.Patch(base_ + "/api/v1/settings", R"({"holdout_percent": 50})", Key()).status, 200);
  const Instant start = clock_.Now();
  struct Seen {
    store::Id customer = 0;
    store::Id survey = 0;
    bool held_out = false;
    Instant drawn_at{};
  };
  std::vector<Seen> seen;
  for (int i = 0; i < 24; ++i) {
    const std::string name = "p" + std::to_string(i);
    auto v = Promoter(name);
    const store::Id customer = v.survey.customer_id;
    const bool held = Expected(customer, 50);
    EXPECT_EQ(!v.code, held) << name << ": the draw decides who gets a code";
    EXPECT_EQ(v.survey.score, 10) << "the thank-you shows the answer either way";
    auto d = Draw(customer);
    ASSERT_TRUE(d) << name;
    EXPECT_EQ(d->held_out, held);
    EXPECT_EQ(d->percent, 50);
    EXPECT_EQ(d->survey_id, v.survey.id);
    EXPECT_EQ(ActivationJobs(customer), held ? 0 : 1);
    seen.push_back({customer, v.survey.id, held, d->drawn_at});
  }
  int held = 0;
  for (const auto& s : seen) held += s.held_out ? 1 : 0;
  ASSERT_GT(held, 0);
  ASSERT_LT(held, 24);

  // A later answer does not draw again, even with the holdout off.
  ASSERT_EQ(http_.Patch(base_ + "/api/v1/settings", R"({"holdout_percent": 0})", Key()).status, 200);
  clock_.Advance(std::chrono::hours{1});
  for (const auto& s : seen) {
    clock_.Advance(std::chrono::minutes{10});
    auto v = Answer(s.survey, 9);
    EXPECT_EQ(!v.code, s.held_out);
    EXPECT_EQ(Draw(s.customer)->drawn_at, s.drawn_at) << "the first draw stays";
  }
  // The answer page over HTTP shows no code to a held-out promoter.
  for (const auto& s : seen) {
    if (!s.held_out) continue;
    auto page = http_.Request("GET", base_ + "/s/" + app_->links().SurveyToken(s.survey) + "/9", {}, {},
                              test::HttpOptions{.user_agent = kBrowser});
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.body.find("id=\"code\""), std::string::npos);
    EXPECT_NE(page.body.find("Thank you"), std::string::npos);
    break;
  }

  // Repeat purchases: every third promoter orders again (an activated one for 80.00, a held-out
  // one for 40.00), promoters 0 and 3 twice; orders before the answer do not count.
  clock_.Advance(days{1});
  std::map<bool, int64_t> repeat, revenue, promoters;
  std::map<bool, std::vector<double>> per;
  for (size_t i = 0; i < seen.size(); ++i) {
    const bool h = seen[i].held_out;
    ++promoters[h];
    int64_t spent = 0;
    if (i % 3 == 0) {
      const int64_t total = h ? 4000 : 8000;
      const int times = (i == 0 || i == 3) ? 2 : 1;
      for (int t = 0; t < times; ++t) {
        Order("again-" + std::to_string(i) + "-" + std::to_string(t), "p" + std::to_string(i), total);
        spent += total;
      }
      ++repeat[h];
    }
    revenue[h] += spent;
    per[h].push_back(static_cast<double>(spent));
  }
  const std::string to = FormatRfc3339(clock_.Now() + days{1});
  auto got = http_.Get(base_ + "/api/v1/holdout?from=" + FormatRfc3339(start) + "&to=" + to, Key());
  ASSERT_EQ(got.status, 200) << got.body;
  json r = json::parse(got.body);
  EXPECT_EQ(r["holdout_percent"], 0);
  EXPECT_EQ(r["currency"], "EUR");
  EXPECT_NE(r["method"].get<std::string>().find("Newcombe"), std::string::npos);
  EXPECT_EQ(r["activated"]["promoters"], promoters[false]);
  EXPECT_EQ(r["held_out"]["promoters"], promoters[true]);
  EXPECT_EQ(r["activated"]["repeat_buyers"], repeat[false]);
  EXPECT_EQ(r["held_out"]["repeat_buyers"], repeat[true]);
  EXPECT_EQ(r["activated"]["revenue"]["minor"], revenue[false]);
  EXPECT_EQ(r["held_out"]["revenue"]["minor"], revenue[true]);
  const auto share = core::CompareShares(repeat[false], promoters[false], repeat[true], promoters[true]);
  EXPECT_NEAR(r["repeat_difference"]["difference"].get<double>(), share.difference, 1e-4);
  EXPECT_NEAR(r["repeat_difference"]["p_value"].get<double>(), share.p_value, 1e-4);
  EXPECT_NEAR(r["repeat_difference"]["ci"]["low"].get<double>(), share.ci.low, 1e-4);
  const auto money = core::CompareMeans(per[false], per[true]);
  EXPECT_NEAR(r["revenue_difference_minor"]["difference"].get<double>(), money.difference, 0.1);
  EXPECT_NEAR(r["activated"]["revenue_per_promoter_minor"]["mean"].get<double>(),
              static_cast<double>(revenue[false]) / static_cast<double>(promoters[false]), 0.1);
  if (money.defined) {
    EXPECT_NEAR(r["revenue_difference_minor"]["ci"]["high"].get<double>(), money.ci.high, 0.1);
  }

  // A range before the draws holds nobody; a bad range is a problem naming the field.
  auto before = http_.Get(base_ + "/api/v1/holdout?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z", Key());
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(json::parse(before.body)["activated"]["promoters"], 0);
  ExpectProblem(http_.Get(base_ + "/api/v1/holdout?from=yesterday", Key()), 400, "from");
}

INSTANTIATE_TEST_SUITE_P(Stores, HoldoutApiTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::api
