// Shop-defined comment themes over real HTTP (issue 16), on every store: the definitions'
// validation and scoping, the tagged report (hand-worked shares, Wilson intervals, NPS) and the
// themes over time with the two-proportion mark.
#include <chrono>

#include "api/dashboard_fixture.h"
#include "app/store_app_test.h"

namespace vouch::api {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::seconds;

class DefinedThemesApiTest : public DashboardTest {
 protected:
  // `customer` orders, is surveyed and answers `score` with `comment` (a minute later each).
  void Answer(const std::string& customer, int score, const std::string& comment) {
    auto r = app_->ingest().Order(Shop(), app::SampleOrder("o-" + customer, customer, clock_.Now()));
    ASSERT_TRUE(r.ok()) << r.error().message;
    auto order = store_->Read<std::optional<store::Order>>(
        [&](store::ReadTx& tx) { return tx.orders().Find(shop_, "o-" + customer); });
    ASSERT_TRUE(order.ok() && order->has_value() && (*order)->survey_id);
    const store::Id survey = *(*order)->survey_id;
    clock_.Advance(seconds{30});
    ASSERT_TRUE(
        store_->Write<Ok>([&](store::Tx& tx) { return tx.surveys().MarkSent(survey, clock_.Now()); }).ok());
    clock_.Advance(seconds{30});
    auto v = app_->answers().RecordClick(app_->links().SurveyToken(survey), score, "GET", kBrowser);
    ASSERT_TRUE(v.ok()) << v.error().message;
    if (!comment.empty()) {
      auto c = app_->answers().SaveComment(app_->links().SurveyToken(survey), comment);
      ASSERT_TRUE(c.ok()) << c.error().message;
    }
  }
  json Define(const json& body, long status = 201) {
    auto r = http_.Post(base_ + "/api/v1/themes/defined", body.dump(), Key());
    EXPECT_EQ(r.status, status) << r.body;
    return json::parse(r.body, nullptr, false);
  }
};

TEST_P(DefinedThemesApiTest, ThemesAreValidatedScopedAndEdited) {
  const std::string url = base_ + "/api/v1/themes/defined";
  ExpectProblem(http_.Post(url, R"({"keywords":["delivery"]})", Key()), 400, "name");
  ExpectProblem(http_.Post(url, R"({"name":"  ","keywords":["delivery"]})", Key()), 400, "name");
  ExpectProblem(http_.Post(url, json{{"name", std::string(101, 'n')}, {"keywords", {"a b"}}}.dump(), Key()),
                400, "name");
  ExpectProblem(http_.Post(url, R"({"name":"Ship"})", Key()), 400, "keywords");
  ExpectProblem(http_.Post(url, R"({"name":"Ship","keywords":[]})", Key()), 400, "keywords");
  ExpectProblem(http_.Post(url, R"({"name":"Ship","keywords":"delivery"})", Key()), 400, "keywords");
  ExpectProblem(http_.Post(url, R"({"name":"Ship","keywords":["late slow delivery"]})", Key()), 400,
                "keywords");
  ExpectProblem(http_.Post(url, R"({"name":"Ship","keywords":["in"]})", Key()), 400, "keywords");
  ExpectProblem(http_.Post(url, R"({"name":"Ship","keywords":["a\nb"]})", Key()), 400, "keywords");
  ExpectProblem(http_.Post(url, R"({"name":"Ship","keywords":["ok"],"colour":1})", Key()), 400, "colour");
  ExpectProblem(http_.Post(url, "[1]", Key()), 400, "body");
  json ship =
      Define({{"name", " Shipping "}, {"keywords", {" delivery ", "Lieferung", "delivery", "late parcel"}}});
  EXPECT_EQ(ship["name"], "Shipping");
  EXPECT_EQ(ship["keywords"], json::array({"delivery", "Lieferung", "late parcel"})) << "trimmed, once each";
  ExpectProblem(http_.Post(url, R"({"name":"Shipping","keywords":["post"]})", Key()), 409, "name");
  json quality = Define({{"name", "Quality"}, {"keywords", {"quality"}}});
  auto list = http_.Get(url, Key());
  ASSERT_EQ(list.status, 200);
  json l = json::parse(list.body);
  ASSERT_EQ(l["themes"].size(), 2u);
  EXPECT_EQ(l["themes"][0]["name"], "Quality") << "by name";
  const std::string id = std::to_string(ship["id"].get<int64_t>());
  // Edit: a rename onto another theme's name is refused; a good edit is kept.
  ExpectProblem(http_.Request("PUT", url + "/" + id, R"({"name":"Quality","keywords":["post"]})", Key()), 409,
                "name");
  auto put =
      http_.Request("PUT", url + "/" + id, R"({"name":"Delivery","keywords":["post","parcel"]})", Key());
  ASSERT_EQ(put.status, 200) << put.body;
  auto got = http_.Get(url + "/" + id, Key());
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(json::parse(got.body)["keywords"], json::array({"post", "parcel"}));
  // Another shop sees none of them and cannot touch them.
  auto other = app_->shops().Create("Other Shop", "https://other.example");
  ASSERT_TRUE(other.ok());
  const test::HttpClient::Headers other_key{{"Authorization", "Bearer " + other->api_key},
                                            {"Content-Type", "application/json"}};
  EXPECT_EQ(json::parse(http_.Get(url, other_key).body)["themes"].size(), 0u);
  ExpectProblem(http_.Get(url + "/" + id, other_key), 404, "id");
  ExpectProblem(http_.Request("PUT", url + "/" + id, R"({"name":"Mine","keywords":["post"]})", other_key),
                404, "id");
  ExpectProblem(http_.Request("DELETE", url + "/" + id, {}, other_key), 404, "id");
  EXPECT_EQ(http_.Post(url, R"({"name":"Delivery","keywords":["post"]})", other_key).status, 201)
      << "names are per shop";
  // A viewer reads but does not change.
  Browser viewer = SignIn("vic@example.com", "viewer horse");
  EXPECT_EQ(http_.Get(url, viewer.Cookie()).status, 200);
  EXPECT_EQ(http_.Request("DELETE", url + "/" + id, {}, viewer.Unsafe()).status, 403);
  EXPECT_EQ(http_.Request("DELETE", url + "/" + id, {}, Key()).status, 204);
  ExpectProblem(http_.Request("DELETE", url + "/" + id, {}, Key()), 404, "id");
  // At most 50 a shop.
  for (int i = 1; i < 50; ++i) Define({{"name", "t" + std::to_string(i)}, {"keywords", {"word"}}});
  ExpectProblem(http_.Post(url, R"({"name":"one too many","keywords":["word"]})", Key()), 409, "name");
  EXPECT_TRUE(quality.is_object());
}

// Shipping (delivery, Lieferung) is in d1, d2, d3, the German d5 and p1: detractors 4 of 5,
// promoters 1 of 4, passives 0 of 1, all 5 of 10; its answers' NPS (1 − 4)/5 = −60. Quality is
// in p1 and p3 only: NPS 100.
TEST_P(DefinedThemesApiTest, CommentsAreTaggedWithSharesAndNps) {
  const std::string from = FormatRfc3339(clock_.Now());
  Define({{"name", "Shipping"}, {"keywords", {"delivery", "Lieferung"}}});
  Define({{"name", "Quality"}, {"keywords", {"quality", "Qualität"}}});
  Define({{"name", "Unused"}, {"keywords", {"umbrella"}}});
  Answer("d1", 2, "Late delivery, very late.");
  Answer("d2", 3, "The deliveries were late again");
  Answer("d3", 4, "Delivery late and box broken");
  Answer("d4", 6, "Wrong size");
  Answer("p1", 9, "Great quality, fast delivery");
  Answer("p2", 10, "Great fit");
  Answer("p3", 10, "Love the quality");
  Answer("p4", 9, "Great service");
  Answer("x1", 7, "late late late");
  Answer("p5", 10, "");
  Answer("d5", 5, "Die Lieferungen kamen <b>zu</b> spät");
  const std::string range = "from=" + from + "&to=" + FormatRfc3339(clock_.Now() + seconds{1});
  auto r = http_.Get(base_ + "/api/v1/themes/tagged?" + range, Key());
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  EXPECT_EQ(j["comments"], 10);
  EXPECT_EQ(j["capped"], false);
  ASSERT_EQ(j["themes"].size(), 3u);
  const json& q = j["themes"][0];
  const json& s = j["themes"][1];
  EXPECT_EQ(q["name"], "Quality");
  EXPECT_EQ(q["tagged"], 2);
  EXPECT_EQ(q["promoters"]["tagged"], 2);
  EXPECT_EQ(q["promoters"]["comments"], 4);
  EXPECT_EQ(q["nps"]["nps"], 100.0);
  EXPECT_EQ(s["name"], "Shipping");
  EXPECT_EQ(s["tagged"], 5);
  EXPECT_EQ(s["share"]["share"], 0.5);
  EXPECT_NEAR(s["share"]["ci_low"].get<double>(), 0.2366, 1e-4);  // Wilson, 5 of 10
  EXPECT_NEAR(s["share"]["ci_high"].get<double>(), 0.7634, 1e-4);
  EXPECT_EQ(s["detractors"]["tagged"], 4);
  EXPECT_EQ(s["detractors"]["comments"], 5);
  EXPECT_NEAR(s["detractors"]["ci_low"].get<double>(), 0.3755, 1e-4);  // Wilson, 4 of 5
  EXPECT_NEAR(s["detractors"]["ci_high"].get<double>(), 0.9638, 1e-4);
  EXPECT_EQ(s["promoters"]["tagged"], 1);
  EXPECT_EQ(s["passives"]["tagged"], 0);
  EXPECT_EQ(s["passives"]["comments"], 1);
  EXPECT_EQ(s["nps"]["n"], 5);
  EXPECT_EQ(s["nps"]["nps"], -60.0);
  EXPECT_LT(s["nps"]["ci_low"].get<double>(), -60.0);
  EXPECT_GT(s["nps"]["ci_high"].get<double>(), -60.0);
  ASSERT_EQ(s["examples"].size(), 3u);
  EXPECT_EQ(s["examples"][0]["comment"], "Die Lieferungen kamen <b>zu</b> spät")
      << "newest first, as written";
  EXPECT_EQ(s["examples"][1]["score"], 9);
  EXPECT_EQ(j["themes"][2]["tagged"], 0);
  EXPECT_EQ(j["themes"][2]["share"]["share"], 0.0);
  EXPECT_EQ(j["themes"][2]["nps"]["n"], 0);
  // The JSON carries the comment as a string: the markup is data, never markup.
  EXPECT_NE(r.body.find("<b>zu</b>"), std::string::npos);
  auto none = http_.Get(base_ + "/api/v1/themes/tagged?" + range + "&category=tents", Key());
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(json::parse(none.body)["comments"], 0);
  ExpectProblem(http_.Get(base_ + "/api/v1/themes/tagged?from=2026-11-20&to=2026-11-01", Key()), 400, "to");
  ExpectProblem(
      http_.Get(base_ + "/api/v1/themes/tagged?" + range + "&category=" + std::string(201, 'x'), Key()), 400,
      "category");
}

// Week one: 2 of 20 comments about delivery; week two: 12 of 20. Pooled 14/40, se 0.15083,
// z = 3.3150, p = 0.000917: marked. Week three: 11 of 20 against 12 of 20: not marked.
TEST_P(DefinedThemesApiTest, ThemesOverTimeMarkSignificantChanges) {
  Define({{"name", "Shipping"}, {"keywords", {"delivery"}}});
  const Instant from = clock_.Now();
  int n = 0;
  auto week = [&](int delivery, int total) {
    const Instant start = clock_.Now();
    for (int i = 0; i < total; ++i) {
      Answer("c" + std::to_string(n++), i % 2 ? 9 : 3, i < delivery ? "Slow delivery" : "Nice colours");
    }
    clock_.Set(start + days{7});
  };
  week(2, 20);
  week(12, 20);
  week(11, 20);
  const std::string range = "from=" + FormatRfc3339(from) + "&to=" + FormatRfc3339(clock_.Now());
  auto r = http_.Get(base_ + "/api/v1/themes/over-time?" + range + "&interval=week", Key());
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  EXPECT_EQ(j["interval"], "week");
  ASSERT_EQ(j["themes"].size(), 1u);
  std::vector<json> filled;
  int64_t total = 0;
  for (const auto& b : j["buckets"]) {
    total += b["comments"].get<int64_t>();
    if (b["comments"].get<int64_t>() > 0) filled.push_back(b);
  }
  EXPECT_EQ(total, 60);
  ASSERT_GE(filled.size(), 3u) << j.dump();
  // Weeks start on Monday, so a test week may straddle two buckets: check the buckets by their
  // counts and the marks by their figures instead of by position.
  bool marked_rise = false;
  for (size_t i = 0; i < filled.size(); ++i) {
    const json& t = filled[i]["themes"][0];
    if (i == 0) {
      EXPECT_TRUE(t["vs_previous"].is_null());
      continue;
    }
    ASSERT_TRUE(t["vs_previous"].is_object()) << filled[i].dump();
    const json& prev = filled[i - 1]["themes"][0];
    const bool rose = t["share"].get<double>() > prev["share"].get<double>();
    EXPECT_EQ(t["vs_previous"]["difference"].get<double>() > 0, rose);
    if (t["vs_previous"]["significant"].get<bool>()) marked_rise = marked_rise || rose;
  }
  EXPECT_TRUE(marked_rise) << j.dump();
  // One bucket for the whole range: no marks at all.
  auto month = http_.Get(base_ + "/api/v1/themes/over-time?from=" + FormatRfc3339(from).substr(0, 10) +
                             "&to=" + FormatRfc3339(from + days{1}).substr(0, 10) + "&interval=month",
                         Key());
  ASSERT_EQ(month.status, 200) << month.body;
  json m = json::parse(month.body);
  ASSERT_EQ(m["buckets"].size(), 1u);
  EXPECT_TRUE(m["buckets"][0]["themes"][0]["vs_previous"].is_null());
  ExpectProblem(http_.Get(base_ + "/api/v1/themes/over-time?" + range + "&interval=hour", Key()), 400,
                "interval");
  ExpectProblem(
      http_.Get(base_ + "/api/v1/themes/over-time?from=2000-01-01&to=2026-01-01&interval=day", Key()), 400,
      "interval");
}

// terms=discovered: the themes report's top terms followed over time. Two days of 20 answers
// (promoters 9 say "Great fit", detractors 3 "Wrong colour" or "Late"): "late" in 1 of day one's
// 20 comments and 9 of day two's; the pooled z-test: p = 10/40, se = sqrt(.25 * .75 * .1),
// z = 0.4 / 0.13693 = 2.921, significant.
TEST_P(DefinedThemesApiTest, DiscoveredTermsOverTime) {
  const Instant from = clock_.Now();
  int n = 0;
  auto day = [&](int late) {
    const Instant start = clock_.Now();
    for (int i = 0; i < 20; ++i) {
      const bool promoter = i % 2 == 1;
      Answer("c" + std::to_string(n++), promoter ? 9 : 3,
             promoter ? "Great fit" : (i / 2 < late ? "Late" : "Wrong colour"));
    }
    clock_.Set(start + days{1});
  };
  day(1);
  day(9);
  const std::string range = "from=" + FormatRfc3339(from) + "&to=" + FormatRfc3339(clock_.Now());
  auto plain = http_.Get(base_ + "/api/v1/themes/over-time?" + range + "&interval=day", Key());
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_FALSE(json::parse(plain.body).contains("terms")) << "only when asked";
  auto r = http_.Get(base_ + "/api/v1/themes/over-time?" + range + "&interval=day&terms=discovered", Key());
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  size_t late = j["terms"].size();
  for (size_t i = 0; i < j["terms"].size(); ++i) {
    if (j["terms"][i]["term"] == "late") late = i;
  }
  ASSERT_LT(late, j["terms"].size()) << j["terms"].dump();
  EXPECT_EQ(j["terms"][late]["leans"], "detractors");
  EXPECT_FALSE(j["terms"][late]["display"].get<std::string>().empty());
  bool great = false;
  for (const auto& t : j["terms"]) great = great || (t["term"] == "great" && t["leans"] == "promoters");
  EXPECT_TRUE(great) << j["terms"].dump();
  std::vector<json> filled;
  for (const auto& b : j["buckets"]) {
    if (b["comments"].get<int64_t>() > 0) filled.push_back(b);
  }
  ASSERT_EQ(filled.size(), 2u) << j.dump();
  const json& first = filled[0]["terms"][late];
  const json& second = filled[1]["terms"][late];
  EXPECT_EQ(first["term"], "late");
  EXPECT_EQ(first["tagged"], 1);
  EXPECT_EQ(second["tagged"], 9);
  EXPECT_NEAR(second["share"].get<double>(), 0.45, 1e-9);
  EXPECT_TRUE(first["vs_previous"].is_null());
  ASSERT_TRUE(second["vs_previous"].is_object());
  EXPECT_NEAR(second["vs_previous"]["difference"].get<double>(), 0.4, 1e-4);
  EXPECT_NEAR(second["vs_previous"]["z"].get<double>(), 2.921, 1e-3);
  EXPECT_TRUE(second["vs_previous"]["significant"].get<bool>());
  ExpectProblem(http_.Get(base_ + "/api/v1/themes/over-time?" + range + "&terms=all", Key()), 400, "terms");
}

INSTANTIATE_TEST_SUITE_P(Stores, DefinedThemesApiTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::api
