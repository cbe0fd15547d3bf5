// Audiences over real HTTP (issue 16), on every store: validation naming the field, list, get,
// delete; a gated audience limiting activation; an audience's offer on its promoters' codes and
// rewards; and the audience cut of every report that takes it.
#include <chrono>

#include "api/dashboard_fixture.h"
#include "app/store_app_test.h"
#include "core/experiments.h"
#include "core/holdout.h"

namespace vouch::api {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::seconds;

class AudiencesApiTest : public DashboardTest {
 protected:
  void Order(const std::string& id, const std::string& customer, const std::string& category, int64_t total,
             const std::string& locale = "", std::vector<std::string> codes = {}) {
    app::OrderInput o = app::SampleOrder(id, customer, clock_.Now());
    o.discount_codes = std::move(codes);
    o.total_minor = total;
    o.items.front().price_minor = total;
    o.items.front().category = category;
    o.customer.locale = locale;
    auto r = app_->ingest().Order(Shop(), o);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  // `customer` orders (category, total), is surveyed and answers `score`: the answer page.
  app::AnswerView Respond(const std::string& customer, const std::string& category, int64_t total, int score,
                          const std::string& locale = "", const std::string& code = "",
                          const std::string& comment = "") {
    const std::string id = "o-" + customer + "-" + std::to_string(++orders_);
    Order(id, customer, category, total, locale,
          code.empty() ? std::vector<std::string>{} : std::vector{code});
    auto order = store_->Read<std::optional<store::Order>>(
        [&](store::ReadTx& tx) { return tx.orders().Find(shop_, id); });
    EXPECT_TRUE(order.ok() && order->has_value() && (*order)->survey_id) << id;
    if (!order.ok() || !order->has_value() || !(*order)->survey_id) return {};
    const store::Id survey = *(*order)->survey_id;
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
    return v.ok() ? *v : app::AnswerView{};
  }
  int64_t Create(const json& body) {
    auto r = http_.Post(base_ + "/api/v1/audiences", body.dump(), Key());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? json::parse(r.body)["id"].get<int64_t>() : 0;
  }
  std::optional<store::ExperimentVariant> OfferOf(store::Id customer) {
    auto v = store_->Read<std::optional<store::ExperimentVariant>>(
        [&](store::ReadTx& tx) { return tx.experiments().VariantOfPromoter(shop_, customer); });
    EXPECT_TRUE(v.ok());
    return v.ok() ? *v : std::nullopt;
  }
  int orders_ = 0;
};

TEST_P(AudiencesApiTest, AudiencesAreValidatedListedAndDeleted) {
  const std::string url = base_ + "/api/v1/audiences";
  const json good = {
      {"name", "Tent people"},
      {"categories", {"tents", "sleeping bags"}},
      {"min_order_minor", 5000},
      {"max_order_minor", 50000},
      {"locales", {"de", "en-GB"}},
      {"repeat_buyer", "no"},
      {"gate", false},
      {"offer", {{"discount_kind", "percent"}, {"discount_value", 20}, {"reward_minor", 1500}}}};
  auto bad = [&](const std::function<void(json&)>& change, const std::string& field) {
    json j = good;
    change(j);
    ExpectProblem(http_.Post(url, j.dump(), Key()), 400, field);
  };
  bad([](json& j) { j.erase("name"); }, "name");
  bad([](json& j) { j["name"] = ""; }, "name");
  bad([](json& j) { j["categories"] = "tents"; }, "categories");
  bad([](json& j) { j["categories"][1] = 7; }, "categories[1]");
  bad([](json& j) { j["categories"][0] = ""; }, "categories[0]");
  bad([](json& j) { j["categories"][1] = "tents\nmats"; }, "categories[1]");
  bad([](json& j) { j["min_order_minor"] = -1; }, "min_order_minor");
  bad([](json& j) { j["max_order_minor"] = 10; }, "max_order_minor");
  bad([](json& j) { j["locales"][0] = "not a locale"; }, "locales[0]");
  bad([](json& j) { j["repeat_buyer"] = "maybe"; }, "repeat_buyer");
  bad([](json& j) { j["gate"] = "yes"; }, "gate");
  bad([](json& j) { j["offer"]["discount_kind"] = "free"; }, "offer.discount_kind");
  bad([](json& j) { j["offer"]["discount_value"] = 101; }, "offer.discount_value");
  bad([](json& j) { j["offer"].erase("reward_minor"); }, "offer.reward_minor");
  bad([](json& j) { j["offer"]["colour"] = "red"; }, "offer.colour");
  bad([](json& j) { j["extra"] = 1; }, "extra");
  ExpectProblem(http_.Post(url, "[1]", Key()), 400, "body");
  auto listed = http_.Get(url, Key());
  ASSERT_EQ(listed.status, 200);
  EXPECT_TRUE(json::parse(listed.body)["audiences"].empty()) << "nothing half-stored";

  auto created = http_.Post(url, good.dump(), Key());
  ASSERT_EQ(created.status, 201) << created.body;
  json a = json::parse(created.body);
  EXPECT_EQ(a["name"], "Tent people");
  EXPECT_EQ(a["categories"], json({"tents", "sleeping bags"}));
  EXPECT_EQ(a["locales"], json({"de", "en-GB"}));
  EXPECT_EQ(a["offer"]["reward_minor"], 1500);
  const std::string one = url + "/" + std::to_string(a["id"].get<int64_t>());
  auto got = http_.Get(one, Key());
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(json::parse(got.body), a);
  auto plain = Create({{"name", "Everyone"}});
  auto list = json::parse(http_.Get(url, Key()).body)["audiences"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1]["id"], plain);
  EXPECT_TRUE(list[1]["offer"].is_null());
  EXPECT_EQ(list[1]["repeat_buyer"], "any");

  // Another shop sees none of them.
  auto other = app_->shops().Create("Other", "https://other.example");
  ASSERT_TRUE(other.ok());
  test::HttpClient::Headers other_key = {{"Authorization", "Bearer " + other->api_key}};
  ExpectProblem(http_.Get(one, other_key), 404, "id");
  EXPECT_TRUE(json::parse(http_.Get(url, other_key).body)["audiences"].empty());
  ExpectProblem(http_.Delete(one, other_key), 404, "id");

  EXPECT_EQ(http_.Delete(one, Key()).status, 204);
  ExpectProblem(http_.Get(one, Key()), 404, "id");
  ExpectProblem(http_.Delete(one, Key()), 404, "id");
  EXPECT_EQ(json::parse(http_.Get(url, Key()).body)["audiences"].size(), 1u);
}

TEST_P(AudiencesApiTest, GatedAudiencesLimitActivationAndCarryTheirOffer) {
  Create({{"name", "Campers"},
          {"categories", {"tents"}},
          {"gate", true},
          {"offer", {{"discount_kind", "percent"}, {"discount_value", 30}, {"reward_minor", 2500}}}});
  Create({{"name", "Big spenders"}, {"min_order_minor", 10000}, {"gate", true}});
  auto shoes = Respond("sam", "shoes", 5990, 10);
  EXPECT_FALSE(shoes.code) << "in no gated audience: thank-you without a code";
  EXPECT_EQ(shoes.survey.score, 10);
  auto tent = Respond("tina", "tents", 5990, 10);
  ASSERT_TRUE(tent.code) << "a camper is activated";
  EXPECT_NE(tent.offer_text.find("30%"), std::string::npos) << tent.offer_text;
  auto offer = OfferOf(tent.survey.customer_id);
  ASSERT_TRUE(offer);
  EXPECT_EQ(offer->discount_value, 30);
  EXPECT_EQ(offer->reward_minor, 2500);
  auto big = Respond("bo", "shoes", 12000, 9);
  ASSERT_TRUE(big.code) << "a big spender is activated";
  EXPECT_FALSE(OfferOf(big.survey.customer_id)) << "with the shop's offer";
  EXPECT_EQ(big.offer_text.find("30%"), std::string::npos) << big.offer_text;
  // The camper's friend's order earns the audience's reward.
  Order("o-friend", "friend", "shoes", 5990, "", {tent.code->code});
  auto rewards =
      http_.Get(base_ + "/api/v1/promoters/" + std::to_string(tent.survey.customer_id) + "/rewards", Key());
  ASSERT_EQ(rewards.status, 200) << rewards.body;
  EXPECT_NE(rewards.body.find("2500"), std::string::npos) << rewards.body;
}

TEST_P(AudiencesApiTest, ReportsCutByAudience) {
  ASSERT_EQ(http_.Patch(base_ + "/api/v1/settings", R"({"throttle_days": 0})", Key()).status, 200);
  const Instant start = clock_.Now();
  const int64_t germans = Create({{"name", "German speakers"}, {"locales", {"de"}}});
  const int64_t repeat = Create({{"name", "Came back"}, {"repeat_buyer", "yes"}});
  // Four German-speaking answers (scores 10, 9, 3, 10), three others (10, 2, 7).
  Respond("de1", "shoes", 5990, 10, "de-AT");
  Respond("de2", "tents", 5990, 9, "de");
  Respond("de3", "shoes", 5990, 3, "de");
  Respond("en1", "shoes", 5990, 10, "en");
  Respond("en2", "shoes", 5990, 2, "en");
  Respond("en3", "shoes", 5990, 7, "");        // the shop's locale: en
  Respond("de1", "shoes", 5990, 10, "de-AT");  // ordered again: a repeat buyer, German
  const std::string range = "from=" + FormatRfc3339(start) + "&to=" + FormatRfc3339(clock_.Now() + days{1});
  auto nps = http_.Get(
      base_ + "/api/v1/nps?" + range + "&significance=true&audience=" + std::to_string(germans), Key());
  ASSERT_EQ(nps.status, 200) << nps.body;
  json r = json::parse(nps.body);
  EXPECT_EQ(r["overall"]["n"], 4);
  EXPECT_NEAR(r["overall"]["nps"].get<double>(), 50.0, 0.05);  // 3 promoters, 1 detractor of 4
  EXPECT_EQ(r["audience"]["id"], germans);
  core::ScoreCounts in, rest;
  for (int s : {10, 9, 3, 10}) in.Add(*core::MakeScore(s));
  for (int s : {10, 2, 7}) rest.Add(*core::MakeScore(s));
  const auto vs = core::CompareNps(rest, in);
  EXPECT_NEAR(r["vs_rest"]["p_value"].get<double>(), vs.p_value, 1e-3);
  auto again = http_.Get(base_ + "/api/v1/nps?" + range + "&audience=" + std::to_string(repeat), Key());
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(json::parse(again.body)["overall"]["n"], 1);
  ExpectProblem(http_.Get(base_ + "/api/v1/nps?audience=abc", Key()), 400, "audience");
  ExpectProblem(http_.Get(base_ + "/api/v1/nps?audience=999", Key()), 404, "audience");
  ExpectProblem(http_.Get(base_ + "/api/v1/holdout?audience=999", Key()), 404, "audience");

  // The holdout cut: only the audience's promoters are counted.
  ASSERT_EQ(http_.Patch(base_ + "/api/v1/settings", R"({"holdout_percent": 50})", Key()).status, 200);
  const Instant drawn = clock_.Now();
  int german_promoters = 0, all_promoters = 0;
  for (int i = 0; i < 12; ++i) {
    const bool german = i % 3 == 0;
    Respond("h" + std::to_string(i), "shoes", 5990, 10, german ? "de" : "en");
    ++all_promoters;
    german_promoters += german ? 1 : 0;
  }
  const std::string hrange = "from=" + FormatRfc3339(drawn) + "&to=" + FormatRfc3339(clock_.Now() + days{1});
  json all = json::parse(http_.Get(base_ + "/api/v1/holdout?" + hrange, Key()).body);
  EXPECT_EQ(all["activated"]["promoters"].get<int>() + all["held_out"]["promoters"].get<int>(),
            all_promoters);
  auto cut = http_.Get(base_ + "/api/v1/holdout?" + hrange + "&audience=" + std::to_string(germans), Key());
  ASSERT_EQ(cut.status, 200) << cut.body;
  json c = json::parse(cut.body);
  EXPECT_EQ(c["activated"]["promoters"].get<int>() + c["held_out"]["promoters"].get<int>(), german_promoters);
  EXPECT_EQ(c["audience"]["id"], germans);
  ASSERT_EQ(http_.Patch(base_ + "/api/v1/settings", R"({"holdout_percent": 0})", Key()).status, 200);

  // The experiment results cut.
  auto exp = http_.Post(base_ + "/api/v1/experiments", R"({"name": "Offer", "metric": "referred_orders",
      "minimum_effect": 0.5, "window_days": 1, "variants": [
      {"name": "A", "discount_kind": "percent", "discount_value": 15, "reward_minor": 1000},
      {"name": "B", "discount_kind": "percent", "discount_value": 20, "reward_minor": 1000}]})",
                        Key());
  ASSERT_EQ(exp.status, 201) << exp.body;
  const std::string id = std::to_string(json::parse(exp.body)["id"].get<int64_t>());
  int german_assigned = 0;
  for (int i = 0; i < 6; ++i) {
    const bool german = i % 2 == 0;
    auto v = Respond("x" + std::to_string(i), "shoes", 5990, 10, german ? "de" : "en");
    if (v.code && german) ++german_assigned;
  }
  auto res = http_.Get(base_ + "/api/v1/experiments/" + id + "?audience=" + std::to_string(germans), Key());
  ASSERT_EQ(res.status, 200) << res.body;
  json rr = json::parse(res.body)["results"];
  int assigned = 0;
  for (const auto& v : rr["variants"]) assigned += v["promoters"].get<int>();
  EXPECT_EQ(assigned, german_assigned);
  auto whole = json::parse(http_.Get(base_ + "/api/v1/experiments/" + id, Key()).body)["results"];
  int everyone = 0;
  for (const auto& v : whole["variants"]) everyone += v["promoters"].get<int>();
  EXPECT_EQ(everyone, 6);
}

// /api/v1/nps/compare with an audience on either side (and a segment with it), hand-worked:
// germans 10, 9, 3 (2 promoters, 1 detractor of 3: +33.3); the shop 10, 9, 3, 10, 2, 7
// (3 promoters, 1 passive, 2 detractors of 6: +16.7); germans in tents: de2 alone (9: +100).
TEST_P(AudiencesApiTest, NpsCompareCutByAudienceOnEitherSide) {
  ASSERT_EQ(http_.Patch(base_ + "/api/v1/settings", R"({"throttle_days": 0})", Key()).status, 200);
  const Instant start = clock_.Now();
  const int64_t germans = Create({{"name", "German speakers"}, {"locales", {"de"}}});
  Respond("de1", "shoes", 5990, 10, "de-AT");
  Respond("de2", "tents", 5990, 9, "de");
  Respond("de3", "shoes", 5990, 3, "de");
  Respond("en1", "shoes", 5990, 10, "en");
  Respond("en2", "shoes", 5990, 2, "en");
  Respond("en3", "shoes", 5990, 7, "");
  const std::string ranges =
      "a_from=" + FormatRfc3339(start) + "&a_to=" + FormatRfc3339(clock_.Now() + days{1}) +
      "&b_from=" + FormatRfc3339(start) + "&b_to=" + FormatRfc3339(clock_.Now() + days{1});
  const std::string g = std::to_string(germans);
  auto r = http_.Get(base_ + "/api/v1/nps/compare?" + ranges + "&b_audience=" + g, Key());
  ASSERT_EQ(r.status, 200) << r.body;
  json c = json::parse(r.body);
  EXPECT_EQ(c["a"]["audience"], nullptr);
  EXPECT_EQ(c["a"]["n"], 6);
  EXPECT_EQ(c["a"]["promoters"], 3);
  EXPECT_EQ(c["a"]["passives"], 1);
  EXPECT_EQ(c["a"]["detractors"], 2);
  EXPECT_NEAR(c["a"]["nps"].get<double>(), 16.7, 0.05);
  EXPECT_EQ(c["b"]["audience"]["id"], germans);
  EXPECT_EQ(c["b"]["audience"]["name"], "German speakers");
  EXPECT_EQ(c["b"]["n"], 3);
  EXPECT_EQ(c["b"]["promoters"], 2);
  EXPECT_EQ(c["b"]["detractors"], 1);
  EXPECT_NEAR(c["b"]["nps"].get<double>(), 33.3, 0.05);
  core::ScoreCounts shop, in;
  for (int s : {10, 9, 3, 10, 2, 7}) shop.Add(*core::MakeScore(s));
  for (int s : {10, 9, 3}) in.Add(*core::MakeScore(s));
  EXPECT_NEAR(c["difference"]["p_value"].get<double>(), core::CompareNps(shop, in).p_value, 1e-3);
  EXPECT_NEAR(c["difference"]["difference"].get<double>(), 100.0 / 3 - 100.0 / 6, 0.05);

  // The audience on A with a segment: germans in tents (de2) against the whole shop on B.
  json t = json::parse(
      http_.Get(base_ + "/api/v1/nps/compare?" + ranges + "&a_audience=" + g + "&a_segment=tents", Key())
          .body);
  EXPECT_EQ(t["a"]["audience"]["id"], germans);
  EXPECT_EQ(t["a"]["segment"], "tents");
  EXPECT_EQ(t["a"]["n"], 1);
  EXPECT_NEAR(t["a"]["nps"].get<double>(), 100.0, 0.05);
  EXPECT_EQ(t["b"]["audience"], nullptr);
  EXPECT_EQ(t["b"]["n"], 6);

  ExpectProblem(http_.Get(base_ + "/api/v1/nps/compare?a_audience=abc", Key()), 400, "a_audience");
  ExpectProblem(http_.Get(base_ + "/api/v1/nps/compare?b_audience=0", Key()), 400, "b_audience");
  ExpectProblem(http_.Get(base_ + "/api/v1/nps/compare?b_audience=999", Key()), 404, "b_audience");
  auto other = app_->shops().Create("Other", "https://other.example");
  ASSERT_TRUE(other.ok());
  test::HttpClient::Headers other_key = {{"Authorization", "Bearer " + other->api_key}};
  ExpectProblem(http_.Get(base_ + "/api/v1/nps/compare?a_audience=" + g, other_key), 404, "a_audience");
}

// The cut on the other reports, hand-worked. ann (de) refers ben (en) and cem (de); ben refers
// dora (en); eva (en) is an organic detractor; the campaign's code brings fay (de) and gus (en).
// German speakers: ann, cem and fay.
TEST_P(AudiencesApiTest, ProgramThemesAndChannelsCutByAudience) {
  ASSERT_EQ(http_.Patch(base_ + "/api/v1/settings", R"({"throttle_days": 0})", Key()).status, 200);
  const Instant start = clock_.Now();
  const int64_t germans = Create({{"name", "German speakers"}, {"locales", {"de"}}});
  const std::string g = "&audience=" + std::to_string(germans);
  ASSERT_EQ(
      http_.Post(base_ + "/api/v1/themes/defined", R"({"name": "Delivery", "keywords": ["delivery"]})", Key())
          .status,
      201);
  ASSERT_EQ(http_
                .Post(base_ + "/api/v1/campaigns",
                      R"({"name": "Influencer", "kind": "influencer", "cost": "100.00", "codes": ["INFLU"]})",
                      Key())
                .status,
            201);
  const auto ann = Respond("ann", "shoes", 5990, 10, "de", "", "Fast delivery");
  ASSERT_TRUE(ann.code);
  const auto ben = Respond("ben", "tents", 5990, 10, "en", ann.code->code, "Great delivery");
  ASSERT_TRUE(ben.code);
  Respond("cem", "tents", 5990, 3, "de", ann.code->code, "Late delivery");
  Respond("dora", "shoes", 5990, 8, "en", ben.code->code);
  Respond("eva", "shoes", 5990, 2, "en", "", "Broken box, slow delivery");
  Order("o-fay", "fay", "shoes", 5990, "de", {"INFLU"});
  Order("o-gus", "gus", "shoes", 5990, "en", {"INFLU"});
  const std::string range = "from=" + FormatRfc3339(start) + "&to=" + FormatRfc3339(clock_.Now() + days{1});
  auto get = [&](const std::string& path) {
    auto r = http_.Get(base_ + path, Key());
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
    return r.status == 200 ? json::parse(r.body) : json{};
  };

  // NPS: the audience and a segment together (germans: ann 10, cem 3; tents: ben 10, cem 3).
  EXPECT_EQ(get("/api/v1/nps?" + range + g)["overall"]["n"], 2);
  EXPECT_EQ(get("/api/v1/nps?" + range + "&segment=tents")["overall"]["n"], 2);
  json both = get("/api/v1/nps?" + range + "&segment=tents&significance=true" + g);
  EXPECT_EQ(both["overall"]["n"], 1);
  EXPECT_NEAR(both["overall"]["nps"].get<double>(), -100.0, 0.05) << "cem alone";
  EXPECT_EQ(both["audience"]["id"], germans);
  EXPECT_EQ(both["segment"], "tents");
  EXPECT_TRUE(both["vs_rest"].is_object());

  // The program: ann (generation 0, 2 referred) and ben (generation 1, 1); the cut keeps ann.
  const std::string prange = "from=" + FormatRfc3339(start) + "&to=2100-01-01";
  json program = get("/api/v1/program?" + prange);
  EXPECT_EQ(program["all"]["promoters"], 2);
  EXPECT_EQ(program["all"]["referred_customers"], 3);
  EXPECT_EQ(program["audience"], nullptr);
  json cut = get("/api/v1/program?" + prange + g);
  ASSERT_EQ(cut["generations"].size(), 1u) << cut.dump();
  EXPECT_EQ(cut["generations"][0]["promoters"], 1);
  EXPECT_EQ(cut["generations"][0]["referred_customers"], 2);
  EXPECT_EQ(cut["generations"][0]["viral_coefficient"], 2.0);
  EXPECT_EQ(cut["all"]["promoters"], 1);
  EXPECT_EQ(cut["audience"]["name"], "German speakers");

  // Trees: the spread through the audience's promoters only (ben is not one).
  const std::string ann_id = std::to_string(ann.code->promoter_id);
  const std::string ben_id = std::to_string(ben.code->promoter_id);
  EXPECT_EQ(get("/api/v1/referrals/tree?promoter=" + ann_id)["customers"], 3);
  json tree = get("/api/v1/referrals/tree?promoter=" + ann_id + g);
  EXPECT_EQ(tree["customers"], 2);
  ASSERT_EQ(tree["generations"].size(), 1u);
  EXPECT_EQ(tree["generations"][0]["customers"][0]["customer_id"], ben.code->promoter_id);
  EXPECT_EQ(get("/api/v1/referrals/tree?promoter=" + ben_id)["customers"], 1);
  EXPECT_EQ(get("/api/v1/referrals/tree?promoter=" + ben_id + g)["customers"], 0);

  // Themes: the German answers' comments only.
  json themes = get("/api/v1/themes?" + range);
  EXPECT_EQ(themes["detractor_comments"], 2);
  EXPECT_EQ(themes["promoter_comments"], 2);
  json tcut = get("/api/v1/themes?" + range + g);
  EXPECT_EQ(tcut["detractor_comments"], 1) << "cem";
  EXPECT_EQ(tcut["promoter_comments"], 1) << "ann";
  EXPECT_EQ(tcut["audience"]["id"], germans);
  json tagged = get("/api/v1/themes/tagged?" + range);
  EXPECT_EQ(tagged["comments"], 4);
  json tagged_cut = get("/api/v1/themes/tagged?" + range + g);
  EXPECT_EQ(tagged_cut["comments"], 2);
  ASSERT_EQ(tagged_cut["themes"].size(), 1u);
  EXPECT_EQ(tagged_cut["themes"][0]["tagged"], 2);
  EXPECT_EQ(tagged_cut["themes"][0]["detractors"]["tagged"], 1);
  auto comments_over_time = [&](const std::string& extra) {
    int64_t n = 0;
    const json t = get("/api/v1/themes/over-time?" + range + "&interval=month" + extra);
    for (const auto& b : t["buckets"]) {
      n += b["comments"].get<int64_t>();
    }
    return n;
  };
  EXPECT_EQ(comments_over_time(""), 4);
  EXPECT_EQ(comments_over_time(g), 2);

  // Channels: new customers whose first order is in the audience; the campaign's cost split by
  // its share of them (1 of 2: 50.00).
  auto channel = [](const json& c, const std::string& name) {
    for (const auto& f : c["channels"]) {
      if (f["channel"] == name) return f;
    }
    return json{};
  };
  json channels = get("/api/v1/compare/channels?" + range);
  EXPECT_EQ(channel(channels, "referral_program")["new_customers"], 3);
  EXPECT_EQ(channel(channels, "campaign")["new_customers"], 2);
  EXPECT_EQ(channel(channels, "campaign")["cost"]["minor"], 10000);
  EXPECT_EQ(channel(channels, "organic")["new_customers"], 2);
  json ccut = get("/api/v1/compare/channels?" + range + g);
  EXPECT_EQ(ccut["audience"]["id"], germans);
  EXPECT_EQ(channel(ccut, "referral_program")["new_customers"], 1) << "cem";
  EXPECT_EQ(channel(ccut, "campaign")["new_customers"], 1) << "fay";
  EXPECT_EQ(channel(ccut, "campaign")["cost"]["minor"], 5000);
  EXPECT_EQ(channel(ccut, "campaign")["cost_per_new_customer_minor"], 5000.0);
  EXPECT_EQ(channel(ccut, "organic")["new_customers"], 1) << "ann";

  // An audience that is not the shop's, or no id.
  for (const std::string& path : std::vector<std::string>{
           "/api/v1/program?", "/api/v1/themes?", "/api/v1/themes/tagged?", "/api/v1/themes/over-time?",
           "/api/v1/compare/channels?", "/api/v1/referrals/tree?promoter=" + ann_id + "&"}) {
    ExpectProblem(http_.Get(base_ + path + "audience=999", Key()), 404, "audience");
    ExpectProblem(http_.Get(base_ + path + "audience=x", Key()), 400, "audience");
  }
}

// /r/{code} fills {discount} with the code's own offer: its audience's, else the shop's.
TEST_P(AudiencesApiTest, ShareLandingShowsTheCodesOwnDiscount) {
  ASSERT_EQ(http_
                .Patch(base_ + "/api/v1/settings",
                       R"({"landing_url": "https://trail.example/friends?c={code}&off={discount}"})", Key())
                .status,
            200);
  Create({{"name", "Campers"},
          {"categories", {"tents"}},
          {"offer", {{"discount_kind", "percent"}, {"discount_value", 30}, {"reward_minor", 2500}}}});
  Create({{"name", "Big spenders"},
          {"min_order_minor", 20000},
          {"offer", {{"discount_kind", "amount"}, {"discount_value", 1250}, {"reward_minor", 500}}}});
  auto tent = Respond("tina", "tents", 5990, 10);
  auto shoes = Respond("sam", "shoes", 5990, 10);
  auto big = Respond("bo", "shoes", 25000, 9);
  ASSERT_TRUE(tent.code && shoes.code && big.code);
  auto landing = [&](const std::string& code) {
    auto r = http_.Get(base_ + "/r/" + code);
    EXPECT_EQ(r.status, 302) << r.body;
    return r.headers["location"];
  };
  EXPECT_EQ(landing(tent.code->code), "https://trail.example/friends?c=" + tent.code->code + "&off=30%25");
  EXPECT_EQ(landing(shoes.code->code), "https://trail.example/friends?c=" + shoes.code->code + "&off=15%25")
      << "the shop's offer";
  EXPECT_EQ(landing(big.code->code),
            "https://trail.example/friends?c=" + big.code->code + "&off=12.50%20EUR");
  // The template is checked when it is set: a misspelt placeholder, or {discount} in the host.
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings",
                            R"({"landing_url": "https://trail.example/f?c={code}&off={discont}"})", Key()),
                400, "landing_url");
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings",
                            R"({"landing_url": "https://{discount}.trail.example/f?c={code}"})", Key()),
                400, "landing_url");
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings",
                            R"({"landing_url": "https://trail.example/f?c={code}}"})", Key()),
                400, "landing_url");
}

INSTANTIATE_TEST_SUITE_P(Stores, AudiencesApiTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::api
