// Referral generations over real HTTP (issue 16), on every store. Hand-worked: ann (organic)
// refers ben and cem; ben becomes a promoter and refers dora; eva is a promoter who refers
// nobody; cem answers 3 and does not become one. cem's order is refunded 10.00; ben's reward is
// released.
#include <chrono>

#include "api/dashboard_fixture.h"
#include "app/store_app_test.h"

namespace vouch::api {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::seconds;

class ProgramApiTest : public DashboardTest {
 protected:
  store::Order OrderOf(const std::string& customer) {
    auto order = store_->Read<std::optional<store::Order>>(
        [&](store::ReadTx& tx) { return tx.orders().Find(shop_, "o-" + customer); });
    EXPECT_TRUE(order.ok() && order->has_value());
    return order.ok() && order->has_value() ? **order : store::Order{};
  }
  // `customer` orders (with `code`, if any), is surveyed and answers `score`; returns their
  // referral code, if they became a promoter.
  std::string Buy(const std::string& customer, int score, const std::string& code = "",
                  const std::string& comment = "") {
    app::OrderInput o = app::SampleOrder("o-" + customer, customer, clock_.Now());
    if (!code.empty()) o.discount_codes = {code};
    auto r = app_->ingest().Order(Shop(), o);
    EXPECT_TRUE(r.ok()) << r.error().message;
    const store::Order order = OrderOf(customer);
    EXPECT_TRUE(order.survey_id);
    if (!order.survey_id) return "";
    const store::Id survey = *order.survey_id;
    clock_.Advance(days{3} + seconds{1});
    EXPECT_TRUE(
        store_->Write<Ok>([&](store::Tx& tx) { return tx.surveys().MarkSent(survey, clock_.Now()); }).ok());
    clock_.Advance(seconds{60});
    auto v = app_->answers().RecordClick(app_->links().SurveyToken(survey), score, "GET", kBrowser);
    EXPECT_TRUE(v.ok()) << v.error().message;
    if (!comment.empty()) {
      auto c = app_->answers().SaveComment(app_->links().SurveyToken(survey), comment);
      EXPECT_TRUE(c.ok()) << c.error().message;
    }
    return v.ok() && v->code ? v->code->code : "";
  }
  std::string Day(Instant t) { return FormatRfc3339(t).substr(0, 10); }
};

TEST_P(ProgramApiTest, GenerationsAreCountedWithNetRevenue) {
  const Instant start = clock_.Now();
  const std::string ann = Buy("ann", 10);
  ASSERT_FALSE(ann.empty());
  const std::string ben = Buy("ben", 10, ann);
  ASSERT_FALSE(ben.empty());
  EXPECT_TRUE(Buy("cem", 3, ann).empty());
  Buy("dora", 8, ben);
  ASSERT_FALSE(Buy("eva", 9).empty());
  const store::Id ann_id = OrderOf("ann").customer_id;
  const store::Id ben_id = OrderOf("ben").customer_id;
  const store::Id dora_id = OrderOf("dora").customer_id;
  ASSERT_TRUE(app_->orders().Refund(Shop(), "o-cem", "r1", "10.00").ok());
  // Ben's reward (ann's oldest) is released.
  auto rewards = store_->Read<std::vector<store::Reward>>(
      [&](store::ReadTx& tx) { return tx.referrals().ListRewards(shop_, ann_id); });
  ASSERT_TRUE(rewards.ok());
  ASSERT_EQ(rewards->size(), 2u);
  const store::Reward released = rewards->back();
  ASSERT_EQ(released.status, store::RewardStatus::kHeld);
  ASSERT_TRUE(store_
                  ->Write<bool>([&](store::Tx& tx) {
                    return tx.referrals().MoveReward(released.id, store::RewardStatus::kHeld,
                                                     store::RewardStatus::kReleased, clock_.Now(), "");
                  })
                  .ok());
  const int64_t reward = released.amount_minor;
  ASSERT_GT(reward, 0);

  // Ann's tree: ben and cem, then dora.
  auto t = http_.Get(base_ + "/api/v1/referrals/tree?promoter=" + std::to_string(ann_id), Key());
  ASSERT_EQ(t.status, 200) << t.body;
  json tree = json::parse(t.body);
  EXPECT_EQ(tree["customers"], 3);
  EXPECT_EQ(tree["truncated"], false);
  ASSERT_EQ(tree["generations"].size(), 2u) << tree.dump();
  const json& first = tree["generations"][0];
  EXPECT_EQ(first["generation"], 1);
  ASSERT_EQ(first["customers"].size(), 2u);
  EXPECT_EQ(first["customers"][0]["customer_id"], ben_id);
  EXPECT_EQ(first["customers"][0]["promoter"], true);
  EXPECT_EQ(first["customers"][0]["referred"], 1);
  EXPECT_EQ(first["customers"][0]["reward_released"]["minor"], reward);
  EXPECT_EQ(first["customers"][1]["promoter"], false);
  EXPECT_EQ(first["customers"][1]["revenue"]["minor"], 4990) << "59.90 less the 10.00 refund";
  EXPECT_EQ(first["revenue"]["minor"], 5990 + 4990);
  EXPECT_EQ(first["rewards_released"]["minor"], reward);
  const json& second = tree["generations"][1];
  ASSERT_EQ(second["customers"].size(), 1u);
  EXPECT_EQ(second["customers"][0]["customer_id"], dora_id);
  EXPECT_EQ(second["customers"][0]["referred_by"], ben_id);
  // Ben's tree is dora alone.
  auto bt = http_.Get(base_ + "/api/v1/referrals/tree?promoter=" + std::to_string(ben_id), Key());
  ASSERT_EQ(bt.status, 200);
  EXPECT_EQ(json::parse(bt.body)["customers"], 1);
  ExpectProblem(http_.Get(base_ + "/api/v1/referrals/tree?promoter=" + std::to_string(dora_id), Key()), 404,
                "promoter");
  ExpectProblem(http_.Get(base_ + "/api/v1/referrals/tree?promoter=x1", Key()), 400, "promoter");
  ExpectProblem(http_.Get(base_ + "/api/v1/referrals/tree", Key()), 400, "promoter");

  // The program: generation 0 is ann and eva (2 and 0 referrals: mean 1, s^2 = 2, phi = 2, so
  // the score interval of 1 over 1: 2.9207 -+ 1.96 * sqrt(1.9604) = [0.1765, 5.6650]);
  // generation 1 is ben (1 referral, the same interval); together 3 over 3 with phi = 1:
  // (4.9207 -+ 1.96 * sqrt(3.9604)) / 3 = [0.3401, 2.9404].
  auto p = http_.Get(base_ + "/api/v1/program?from=" + Day(start) + "&to=2100-01-01", Key());
  ASSERT_EQ(p.status, 200) << p.body;
  json program = json::parse(p.body);
  ASSERT_EQ(program["generations"].size(), 2u) << program.dump();
  const json& g0 = program["generations"][0];
  EXPECT_EQ(g0["generation"], 0);
  EXPECT_EQ(g0["promoters"], 2);
  EXPECT_EQ(g0["referred_customers"], 2);
  EXPECT_EQ(g0["viral_coefficient"], 1.0);
  EXPECT_EQ(g0["dispersion"], 2.0);
  EXPECT_NEAR(g0["ci"]["low"].get<double>(), 0.1765, 1e-4);
  EXPECT_NEAR(g0["ci"]["high"].get<double>(), 5.6649, 2e-4);
  EXPECT_EQ(g0["revenue"]["minor"], 5990 + 4990);
  EXPECT_EQ(g0["rewards_released"]["minor"], reward);
  EXPECT_EQ(g0["net_revenue"]["minor"], 5990 + 4990 - reward);
  const json& g1 = program["generations"][1];
  EXPECT_EQ(g1["generation"], 1);
  EXPECT_EQ(g1["promoters"], 1);
  EXPECT_EQ(g1["referred_customers"], 1);
  EXPECT_EQ(g1["revenue"]["minor"], 5990);
  EXPECT_EQ(g1["net_revenue"]["minor"], 5990);
  const json& all = program["all"];
  EXPECT_EQ(all["promoters"], 3);
  EXPECT_EQ(all["referred_customers"], 3);
  EXPECT_NEAR(all["ci"]["low"].get<double>(), 0.3401, 1e-4);
  EXPECT_NEAR(all["ci"]["high"].get<double>(), 2.9404, 1e-4);

  // Promoters activated after ann: ben and eva only.
  auto later =
      http_.Get(base_ + "/api/v1/program?from=" + FormatRfc3339(start + days{4}) + "&to=2100-01-01", Key());
  ASSERT_EQ(later.status, 200) << later.body;
  json l = json::parse(later.body);
  ASSERT_EQ(l["generations"].size(), 2u);
  EXPECT_EQ(l["generations"][0]["promoters"], 1) << "eva";
  EXPECT_EQ(l["generations"][0]["referred_customers"], 0);
  EXPECT_EQ(l["generations"][1]["promoters"], 1) << "ben";
  ExpectProblem(http_.Get(base_ + "/api/v1/program?from=2026-11-20&to=2026-11-01", Key()), 400, "to");
}

// The hand-worked case of tests/core/themes_test.cc over HTTP: "late" is in 3 of 4 detractors'
// comments and no promoter's (G² 6.0863), "great" the reverse; a passive's "late" counts nowhere.
TEST_P(ProgramApiTest, ThemesCompareDetractorsWithPromoters) {
  const std::string from = FormatRfc3339(clock_.Now());
  Buy("d1", 2, "", "Late delivery, very late.");
  Buy("d2", 3, "", "The delivery was late again");
  Buy("d3", 4, "", "Delivery late and box broken");
  Buy("d4", 6, "", "Wrong size");
  Buy("p1", 9, "", "Great quality, fast delivery");
  Buy("p2", 10, "", "Great fit");
  Buy("p3", 10, "", "Love the quality");
  Buy("p4", 9, "", "Great service");
  Buy("x1", 7, "", "late late late");
  Buy("p5", 10);  // no comment
  const std::string range = "from=" + from + "&to=" + FormatRfc3339(clock_.Now() + seconds{1});
  auto r = http_.Get(base_ + "/api/v1/themes?" + range, Key());
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  EXPECT_EQ(j["detractor_comments"], 4);
  EXPECT_EQ(j["promoter_comments"], 4);
  EXPECT_EQ(j["capped"], false);
  ASSERT_EQ(j["detractor_terms"].size(), 1u) << j.dump();
  const json& late = j["detractor_terms"][0];
  EXPECT_EQ(late["term"], "late");
  EXPECT_EQ(late["phrase"], false);
  EXPECT_EQ(late["detractors"], 3);
  EXPECT_EQ(late["promoters"], 0);
  EXPECT_NEAR(late["g2"].get<double>(), 6.0863, 1e-4);
  EXPECT_NEAR(late["p_value"].get<double>(), 0.01363, 1e-4);
  ASSERT_EQ(late["examples"].size(), 3u);
  EXPECT_EQ(late["examples"][0]["comment"], "Delivery late and box broken") << "newest first";
  EXPECT_EQ(late["examples"][0]["score"], 4);
  ASSERT_EQ(j["promoter_terms"].size(), 1u);
  EXPECT_EQ(j["promoter_terms"][0]["term"], "great");
  EXPECT_EQ(j["promoter_terms"][0]["promoters"], 3);
  // Another product category: nothing.
  auto none = http_.Get(base_ + "/api/v1/themes?" + range + "&category=tents", Key());
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(json::parse(none.body)["detractor_comments"], 0);
  EXPECT_EQ(json::parse(none.body)["category"], "tents");
  ExpectProblem(http_.Get(base_ + "/api/v1/themes?" + range + "&category=" + std::string(201, 'x'), Key()),
                400, "category");
  ExpectProblem(http_.Get(base_ + "/api/v1/themes?from=2026-11-20&to=2026-11-01", Key()), 400, "to");
}

INSTANTIATE_TEST_SUITE_P(Stores, ProgramApiTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::api
