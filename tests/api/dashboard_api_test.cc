// The dashboard's data routes over real loopback HTTP on every store: detractors' follow-ups,
// the answers feed's filters, a promoter's page and the streamed CSV exports; the categories, the
// referrals CSV, templates' built-in text and "send me a test".
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>

#include "base/crypto.h"
#include "main/commands.h"
#include "store/sql/connection.h"
#include "support/http_client.h"
#include "support/node_fixture.h"
#include "support/smtp_sink.h"
#include "support/test_db.h"

namespace vouch::main {
namespace {

using nlohmann::json;
using test::HttpClient;

constexpr const char* kBrowser = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";

class DashboardApiTest : public test::NodeTest {
 protected:
  void SetUp() override {
    NodeTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto other = node_->app().shops().Create("Other Shop", "https://other.example");
    ASSERT_TRUE(other.ok());
    other_key_ = other->api_key;
  }

  static json OrderJson(const std::string& id, const std::string& customer,
                        const std::string& category = "shoes", const std::string& code = "") {
    return json{{"id", id},
                {"created_at", FormatRfc3339(std::chrono::floor<std::chrono::seconds>(SystemClock().Now()))},
                {"currency", "EUR"},
                {"total_price", "59.90"},
                {"customer",
                 {{"id", customer},
                  {"email", customer + "@example.com"},
                  {"first_name", "Anna"},
                  {"last_name", "Schmidt"},
                  {"locale", "en"}}},
                {"discount_codes", code.empty() ? json::array() : json::array({code})},
                {"line_items",
                 {{{"product_id", "p-1"},
                   {"title", "Trail shoe"},
                   {"category", category},
                   {"quantity", 1},
                   {"price", "59.90"}}}}};
  }

  // An order placed in the shop of `key` and answered with `score` and `comment`; its survey id.
  int64_t Answered(const std::string& id, const std::string& customer, int score, const std::string& comment,
                   const std::string& key = "", const std::string& category = "shoes") {
    auto r = http_.Post(base_ + "/api/v1/orders", OrderJson(id, customer, category).dump(), Auth(key));
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(json::parse(r.body)["survey"]["status"], "scheduled");
    const int64_t survey = ++surveys_;  // ids count up from 1 in a fresh database
    const std::string token = node_->app().links().SurveyToken(survey);
    EXPECT_TRUE(node_->app().answers().RecordClick(token, score, "GET", kBrowser).ok());
    if (!comment.empty()) {
      EXPECT_TRUE(node_->app().answers().SaveComment(token, comment).ok());
    }
    return survey;
  }

  void ExpectProblem(const test::HttpResponse& r, long status, const std::string& field) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
    json j = json::parse(r.body, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r.body;
    EXPECT_EQ(j.value("field", ""), field) << r.body;
  }

  std::vector<int64_t> Ids(const std::string& query, const std::string& key = "") {
    auto r = http_.Get(base_ + "/api/v1/responses" + query, Auth(key));
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<int64_t> out;
    const json j = json::parse(r.body);
    for (const auto& row : j["responses"]) out.push_back(row["survey_id"].get<int64_t>());
    return out;
  }

  std::string other_key_;
  int64_t surveys_ = 0;
};

TEST_P(DashboardApiTest, FollowupIsPatchedShownFilteredAndCounted) {
  const int64_t a = Answered("1", "c-1", 2, "<script>alert('x')</script>");
  const int64_t b = Answered("2", "c-2", 5, "Too slow");
  const int64_t p = Answered("3", "c-3", 10, "Great");

  auto patched =
      http_.Patch(base_ + "/api/v1/responses/" + std::to_string(a) + "/followup",
                  R"({"owner":"mia@trail.example","note":"Called, refunded","resolved":true})", Auth());
  ASSERT_EQ(patched.status, 200) << patched.body;
  json f = json::parse(patched.body);
  EXPECT_EQ(f["status"], "resolved");
  EXPECT_EQ(f["owner"], "mia@trail.example");
  EXPECT_EQ(f["note"], "Called, refunded");
  EXPECT_TRUE(f["resolved_at"].is_string());
  EXPECT_TRUE(f["updated_at"].is_string());

  auto feed = http_.Get(base_ + "/api/v1/responses", Auth());
  ASSERT_EQ(feed.status, 200);
  json rows = json::parse(feed.body)["responses"];
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2]["survey_id"], a);
  EXPECT_EQ(rows[2]["comment"], "<script>alert('x')</script>");  // as written: escaping is the page's
  EXPECT_EQ(rows[2]["followup"]["status"], "resolved");
  EXPECT_EQ(rows[2]["followup"]["owner"], "mia@trail.example");
  EXPECT_EQ(rows[1]["followup"]["status"], "open");  // never touched
  EXPECT_TRUE(rows[1]["followup"]["owner"].is_null());
  EXPECT_TRUE(rows[1]["followup"]["updated_at"].is_null());
  EXPECT_TRUE(rows[0]["followup"].is_null());  // a promoter has none

  using V = std::vector<int64_t>;
  EXPECT_EQ(Ids("?score=5"), V{b});
  EXPECT_EQ(Ids("?q=SCRIPT"), V{a});
  EXPECT_EQ(Ids("?q=%25"), V{});  // a literal %, in no comment
  EXPECT_EQ(Ids("?followup=open"), V{b});
  EXPECT_EQ(Ids("?followup=resolved&q=alert"), V{a});
  EXPECT_EQ(Ids("?followup=resolved&score=5"), V{});
  EXPECT_EQ(Ids("?category=promoter&q=great"), V{p});
  ExpectProblem(http_.Get(base_ + "/api/v1/responses?score=11", Auth()), 400, "score");
  ExpectProblem(http_.Get(base_ + "/api/v1/responses?score=ten", Auth()), 400, "score");
  ExpectProblem(http_.Get(base_ + "/api/v1/responses?followup=closed", Auth()), 400, "followup");
  ExpectProblem(http_.Get(base_ + "/api/v1/responses?q=" + std::string(201, 'x'), Auth()), 400, "q");

  auto summary = http_.Get(base_ + "/api/v1/followups/summary", Auth());
  ASSERT_EQ(summary.status, 200) << summary.body;
  json s = json::parse(summary.body);
  EXPECT_EQ(s["open"], 1);
  EXPECT_EQ(s["resolved"], 1);
  EXPECT_TRUE(s["median_hours_to_resolve"].is_number());
  ExpectProblem(http_.Get(base_ + "/api/v1/followups/summary?from=2026-13-01", Auth()), 400, "from");
}

TEST_P(DashboardApiTest, OneShopCannotReadOrChangeAnothersFollowups) {
  const int64_t mine = Answered("1", "c-1", 2, "Broken");
  const int64_t promoter = Answered("2", "c-2", 9, "");
  const std::string url = base_ + "/api/v1/responses/" + std::to_string(mine) + "/followup";
  ExpectProblem(http_.Patch(url, R"({"resolved":true})", Auth(other_key_)), 404, "survey_id");
  EXPECT_TRUE(Ids("", other_key_).empty());
  EXPECT_EQ(http_.Get(base_ + "/api/v1/promoters/c-2", Auth(other_key_)).status, 404);
  EXPECT_EQ(http_.Patch(url, R"({"resolved":true})").status, 401);  // no key
  auto feed = http_.Get(base_ + "/api/v1/responses?followup=open", Auth());
  EXPECT_EQ(json::parse(feed.body)["responses"].size(), 1u) << "still open after the other shop's try";

  ExpectProblem(http_.Patch(url, R"({"resolved":"yes"})", Auth()), 400, "resolved");
  ExpectProblem(http_.Patch(url, R"({"colour":"red"})", Auth()), 400, "colour");
  ExpectProblem(http_.Patch(url, "not json", Auth()), 400, "body");
  ExpectProblem(http_.Patch(url, "{}", Auth()), 400, "body");
  ExpectProblem(http_.Patch(base_ + "/api/v1/responses/" + std::to_string(promoter) + "/followup",
                            R"({"resolved":true})", Auth()),
                409, "survey_id");
  ExpectProblem(http_.Patch(base_ + "/api/v1/responses/abc/followup", R"({"resolved":true})", Auth()), 404,
                "survey_id");
}

TEST_P(DashboardApiTest, PromoterPageShowsTheirCodeAnswersAndReferrals) {
  Answered("1", "anna", 10, "Love the shoes");
  auto page = http_.Get(base_ + "/api/v1/promoters/anna", Auth());
  ASSERT_EQ(page.status, 200) << page.body;
  json j = json::parse(page.body);
  EXPECT_EQ(j["customer"]["id"], "anna");
  EXPECT_EQ(j["customer"]["name"], "Anna Schmidt");
  EXPECT_EQ(j["customer"]["email"], "anna@example.com");
  ASSERT_EQ(j["codes"].size(), 1u);
  const std::string code = j["codes"][0]["code"];
  ASSERT_EQ(http_.Get(base_ + "/r/" + code).status / 100, 3);  // a share visit
  json friend_order = OrderJson("2", "ben");
  friend_order["discount_codes"] = {code};
  ASSERT_EQ(http_.Post(base_ + "/api/v1/orders", friend_order.dump(), Auth()).status, 201);
  ++surveys_;

  j = json::parse(http_.Get(base_ + "/api/v1/promoters/anna", Auth()).body);
  EXPECT_EQ(j["codes"][0]["share_visits"], 1);
  EXPECT_EQ(j["codes"][0]["uses"], 1);
  ASSERT_EQ(j["answers"].size(), 1u);
  EXPECT_EQ(j["answers"][0]["score"], 10);
  EXPECT_EQ(j["answers"][0]["comment"], "Love the shoes");
  ASSERT_EQ(j["referrals"].size(), 1u);
  EXPECT_EQ(j["referrals"][0]["order_id"], "2");
  EXPECT_EQ(j["referrals"][0]["status"], "qualified");
  EXPECT_EQ(j["referrals"][0]["revenue"]["amount"], "59.90");
  ASSERT_EQ(j["rewards"].size(), 1u);
  EXPECT_EQ(j["rewards"][0]["referral_id"], j["referrals"][0]["id"]);
  ExpectProblem(http_.Get(base_ + "/api/v1/promoters/nobody", Auth()), 404, "customer_id");
}

// RFC 4180 rows of a CSV body (quoted fields may hold commas, quotes and line breaks).
std::vector<std::vector<std::string>> ParseCsv(const std::string& s) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  rows.pop_back();  // after the last CRLF
  return rows;
}

TEST_P(DashboardApiTest, CsvExportsQuoteNeutraliseAndFilter) {
  Answered("1", "c-1", 2, "<script>alert(1)</script>");
  Answered("2", "c-2", 3, "=HYPERLINK(\"http://evil.example\",\"click\")");
  Answered("3", "c-3", 10, "Fast, friendly\nand \"cheap\"");
  Answered("4", "c-4", 4, "@SUM(A1:A9)");

  auto csv = http_.Get(base_ + "/api/v1/responses.csv", Auth());
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.Header("content-disposition"), "attachment; filename=\"responses.csv\"");
  EXPECT_EQ(csv.Header("transfer-encoding"), "chunked");
  EXPECT_EQ(csv.body.rfind("survey_id,answered_at,score,category,comment,", 0), 0u) << csv.body;
  EXPECT_NE(csv.body.find("\r\n"), std::string::npos);
  EXPECT_NE(csv.body.find(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\","), std::string::npos)
      << csv.body;
  EXPECT_NE(csv.body.find(",'@SUM(A1:A9),"), std::string::npos) << csv.body;
  auto rows = ParseCsv(csv.body);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0][4], "comment");
  EXPECT_EQ(rows[1][4], "'@SUM(A1:A9)");
  EXPECT_EQ(rows[2][4], "Fast, friendly\nand \"cheap\"");
  EXPECT_EQ(rows[3][4], "'=HYPERLINK(\"http://evil.example\",\"click\")");
  EXPECT_EQ(rows[4][4], "<script>alert(1)</script>");  // unchanged: CSV is not HTML
  EXPECT_EQ(rows[4][12], "open");
  EXPECT_EQ(rows[2][12], "");  // a promoter has no follow-up

  auto filtered =
      ParseCsv(http_.Get(base_ + "/api/v1/responses.csv?category=detractor&q=script", Auth()).body);
  ASSERT_EQ(filtered.size(), 2u);
  EXPECT_EQ(filtered[1][2], "2");
  ExpectProblem(http_.Get(base_ + "/api/v1/responses.csv?score=-1", Auth()), 400, "score");
  EXPECT_EQ(http_.Get(base_ + "/api/v1/responses.csv").status, 401);
  EXPECT_EQ(ParseCsv(http_.Get(base_ + "/api/v1/responses.csv", Auth(other_key_)).body).size(), 1u)
      << "another shop's export has only the header";

  auto promoters = http_.Get(base_ + "/api/v1/promoters.csv", Auth());
  ASSERT_EQ(promoters.status, 200);
  EXPECT_EQ(promoters.Header("content-disposition"), "attachment; filename=\"promoters.csv\"");
  auto p = ParseCsv(promoters.body);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0][0], "customer_id");
  EXPECT_EQ(p[1][0], "c-3");
  EXPECT_EQ(p[1][9], "EUR");
  ExpectProblem(http_.Get(base_ + "/api/v1/promoters.csv?to=nope", Auth()), 400, "to");
}

// An export of several pages through the server: the reassembled body is exactly the feed's
// rows, each once, in the feed's order.
TEST_P(DashboardApiTest, LargeCsvExportStreamsEveryRowOnce) {
  constexpr int kOrders = 4500;  // pages of 2,000: three reads, three chunks after the header's
  json batch = json::array();
  for (int i = 0; i < kOrders; ++i) batch.push_back(OrderJson(std::to_string(i), "c-" + std::to_string(i)));
  auto posted = http_.Post(base_ + "/api/v1/orders/batch", batch.dump(), Auth());
  ASSERT_EQ(posted.status, 200) << posted.body;
  ASSERT_EQ(json::parse(posted.body)["created"], kOrders);
  {  // Answer them all at once, beside the node (the feed reads the surveys table).
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok());
    auto n = (*conn)->Exec(
        "UPDATE surveys SET score = id % 11, answer_state = 'counted', answered_at = ?1, "
        "comment = 'row ' || CAST(id AS TEXT) || ', \"quoted\"'",
        {ToUnixMillis(SystemClock().Now())});
    ASSERT_TRUE(n.ok()) << n.error().message;
    ASSERT_EQ(*n, kOrders);
  }
  auto csv = http_.Get(base_ + "/api/v1/responses.csv", Auth());
  ASSERT_EQ(csv.status, 200);
  auto rows = ParseCsv(csv.body);
  ASSERT_EQ(rows.size(), kOrders + 1u);
  // The same rows as the JSON feed, page by page.
  std::vector<json> feed;
  for (int64_t after = 0;;) {
    auto page = json::parse(
        http_.Get(base_ + "/api/v1/responses?limit=1000&after=" + std::to_string(after), Auth()).body);
    for (auto& r : page["responses"]) feed.push_back(r);
    if (page["next_after"].is_null()) break;
    after = page["next_after"].get<int64_t>();
  }
  ASSERT_EQ(feed.size(), static_cast<size_t>(kOrders));
  for (size_t i = 0; i < feed.size(); ++i) {
    const auto& r = rows[i + 1];
    ASSERT_EQ(r.size(), 16u);
    ASSERT_EQ(r[0], std::to_string(feed[i]["survey_id"].get<int64_t>())) << "row " << i;
    ASSERT_EQ(r[2], std::to_string(feed[i]["score"].get<int>()));
    ASSERT_EQ(r[4], feed[i]["comment"].get<std::string>());
    ASSERT_EQ(r[6], feed[i]["order_id"].get<std::string>());
  }
}

TEST_P(DashboardApiTest, CategoriesListTheShopsOrderCategoriesAndFilterTheFeed) {
  const int64_t tent = Answered("1", "c-1", 3, "", "", "tents");
  Answered("2", "c-2", 9, "", "", "shoes");
  const int64_t tent2 = Answered("3", "c-3", 10, "", "", "tents");
  Answered("4", "c-4", 5, "", other_key_, "lamps");  // another shop's
  auto r = http_.Get(base_ + "/api/v1/categories", Auth());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body), json::parse(R"({"categories":[{"category":"shoes","orders":1},)"
                                             R"({"category":"tents","orders":2}]})"));
  EXPECT_EQ(json::parse(http_.Get(base_ + "/api/v1/categories", Auth(other_key_)).body)["categories"].size(),
            1u);
  EXPECT_EQ(http_.Get(base_ + "/api/v1/categories").status, 401);

  EXPECT_EQ(Ids("?segment=tents"), (std::vector<int64_t>{tent2, tent}));
  EXPECT_EQ(Ids("?segment=tents&category=detractor"), (std::vector<int64_t>{tent}));
  EXPECT_TRUE(Ids("?segment=lamps").empty());  // the other shop's category
  EXPECT_EQ(Ids("?segment=").size(), 3u);      // empty: every category
  auto csv = ParseCsv(http_.Get(base_ + "/api/v1/responses.csv?segment=tents", Auth()).body);
  EXPECT_EQ(csv.size(), 3u);
  ExpectProblem(http_.Get(base_ + "/api/v1/responses?segment=" + std::string(201, 'x'), Auth()), 400,
                "segment");
}

TEST_P(DashboardApiTest, ReferralsCsvStreamsTheListWithItsFilters) {
  Answered("1", "anna", 10, "");
  auto promoters = json::parse(http_.Get(base_ + "/api/v1/promoters", Auth()).body)["promoters"];
  ASSERT_EQ(promoters.size(), 1u) << promoters;
  const std::string code = promoters[0]["code"];
  for (int i = 0; i < 3; ++i) {
    const std::string n = std::to_string(i);
    auto r = http_.Post(base_ + "/api/v1/orders", OrderJson("r-" + n, "friend-" + n, "shoes", code).dump(),
                        Auth());
    ASSERT_EQ(r.status, 201) << r.body;
  }
  auto list = json::parse(http_.Get(base_ + "/api/v1/referrals?limit=500", Auth()).body)["referrals"];
  ASSERT_EQ(list.size(), 3u) << list;

  auto csv = http_.Get(base_ + "/api/v1/referrals.csv", Auth());
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.Header("content-disposition"), "attachment; filename=\"referrals.csv\"");
  EXPECT_EQ(csv.Header("transfer-encoding"), "chunked");
  auto rows = ParseCsv(csv.body);
  ASSERT_EQ(rows.size(), 4u) << csv.body;
  EXPECT_EQ(rows[0][0], "referral_id");
  EXPECT_EQ(rows[0][6], "status");
  for (size_t i = 0; i < list.size(); ++i) {  // the list's rows, newest first
    EXPECT_EQ(rows[i + 1][0], std::to_string(list[i]["id"].get<int64_t>()));
    EXPECT_EQ(rows[i + 1][2], list[i]["order_id"]);
    EXPECT_EQ(rows[i + 1][3], code);
    EXPECT_EQ(rows[i + 1][6], list[i]["status"]);
    EXPECT_EQ(rows[i + 1][9], "59.90");
    EXPECT_EQ(rows[i + 1][10], "EUR");
  }
  const std::string status = list[0]["status"];
  EXPECT_EQ(ParseCsv(http_.Get(base_ + "/api/v1/referrals.csv?status=" + status, Auth()).body).size(),
            1u + static_cast<size_t>(std::count_if(list.begin(), list.end(),
                                                   [&](const json& r) { return r["status"] == status; })));
  EXPECT_EQ(ParseCsv(http_.Get(base_ + "/api/v1/referrals.csv", Auth(other_key_)).body).size(), 1u);
  ExpectProblem(http_.Get(base_ + "/api/v1/referrals.csv?status=maybe", Auth()), 400, "status");
  ExpectProblem(http_.Get(base_ + "/api/v1/referrals.csv?from=nope", Auth()), 400, "from");
  EXPECT_EQ(http_.Get(base_ + "/api/v1/referrals.csv").status, 401);
}

TEST_P(DashboardApiTest, TemplatesReadBuiltInsAndMailATestToTheSignedInUser) {
  // The built-in text before any override, then the override, with ?builtin=1 the built-in still.
  auto builtin = http_.Get(base_ + "/api/v1/templates/en/activation.txt", Auth());
  ASSERT_EQ(builtin.status, 200) << builtin.body;
  json b = json::parse(builtin.body);
  EXPECT_EQ(b["key"], "en/activation.txt");
  EXPECT_EQ(b["source"], "builtin");
  EXPECT_NE(b["body"].get<std::string>().find("{{code}}"), std::string::npos) << b;
  EXPECT_EQ(json::parse(http_.Get(base_ + "/api/v1/templates/de-AT/survey.subject", Auth()).body)["key"],
            "de/survey.subject");  // a locale falls back to its language's built-in
  ASSERT_EQ(http_.Put(base_ + "/api/v1/templates/en/activation.txt", "Mine: {{code}}", Auth()).status, 200);
  json o = json::parse(http_.Get(base_ + "/api/v1/templates/en/activation.txt", Auth()).body);
  EXPECT_EQ(o["source"], "override");
  EXPECT_EQ(o["body"], "Mine: {{code}}");
  EXPECT_EQ(json::parse(http_.Get(base_ + "/api/v1/templates/en/activation.txt?builtin=1", Auth()).body), b);
  ExpectProblem(http_.Get(base_ + "/api/v1/templates/en/nothing.txt", Auth()), 400, "name");
  ExpectProblem(http_.Get(base_ + "/api/v1/templates/en/activation.txt?builtin=yes", Auth()), 400, "builtin");

  // "Send me a test": only for a signed-in user, to their own address.
  ASSERT_TRUE(
      node_->app().users().Create(shop_.id, "ann@example.com", store::Role::kAdmin, "correct horse").ok());
  auto in = http_.Post(base_ + "/api/v1/session", R"({"email":"ann@example.com","password":"correct horse"})",
                       {{"Content-Type", "application/json"}});
  ASSERT_EQ(in.status, 200) << in.body;
  const std::string cookie = in.Header("set-cookie").substr(0, in.Header("set-cookie").find(';'));
  const HttpClient::Headers session{{"Cookie", cookie},
                                    {"X-CSRF-Token", json::parse(in.body)["csrf_token"].get<std::string>()},
                                    {"Content-Type", "application/json"}};
  const std::string url = base_ + "/api/v1/templates/en/activation.txt/test";
  ExpectProblem(http_.Post(url, "{}", Auth()), 403, "");  // a key has no user to mail
  ExpectProblem(http_.Post(url, R"({"body":"{{#open}} never closed"})", session), 400, "body");
  ExpectProblem(http_.Post(base_ + "/api/v1/templates/en/page_answer.html/test", "{}", session), 400, "name");
  const size_t before = sink_.Messages().size();
  auto sent = http_.Post(url, R"({"body":"Draft {{code}} for {{shop_name}}: {{{offer_text}}}"})", session);
  ASSERT_EQ(sent.status, 202) << sent.body;
  json j = json::parse(sent.body);
  EXPECT_EQ(j["to"], "ann@example.com");
  EXPECT_EQ(j["key"], "en/activation.txt");
  EXPECT_EQ(j["subject"].get<std::string>().rfind("[Test] ", 0), 0u) << j;
  auto mails = sink_.WaitForMessages(before + 1);
  ASSERT_EQ(mails.size(), before + 1);
  const std::string& mail = mails.back();
  EXPECT_NE(mail.find("ann@example.com"), std::string::npos);
  EXPECT_NE(mail.find("X-Vouch-Test: en/activation.txt"), std::string::npos) << mail;
  // The draft, not the saved override, with sample values (bodies are base64).
  EXPECT_NE(mail.find(Base64("Draft SAMPLE-CODE for Trail Shop: ").substr(0, 32)), std::string::npos) << mail;
  // Throttled per user: a second one at once is 429 with Retry-After, and no mail.
  auto again = http_.Post(url, "{}", session);
  ExpectProblem(again, 429, "");
  EXPECT_FALSE(again.Header("retry-after").empty());
  EXPECT_EQ(sink_.Messages().size(), before + 1);

  // Another offer than the shop's (issue 16): an audience's; a bad choice is refused before the
  // throttle is asked.
  auto audience = http_.Post(base_ + "/api/v1/audiences",
                             R"({"name": "Campers", "categories": ["tents"],
                                 "offer": {"discount_kind": "percent", "discount_value": 30, "reward_minor": 2500}})",
                             Auth());
  ASSERT_EQ(audience.status, 201) << audience.body;
  const int64_t campers = json::parse(audience.body)["id"].get<int64_t>();
  auto plain = http_.Post(base_ + "/api/v1/audiences", R"({"name": "Plain", "locales": ["de"]})", Auth());
  ASSERT_EQ(plain.status, 201) << plain.body;
  const std::string plain_id = std::to_string(json::parse(plain.body)["id"].get<int64_t>());
  ExpectProblem(http_.Post(url, R"({"audience": 999999})", session), 404, "audience");
  ExpectProblem(http_.Post(url, R"({"audience": )" + plain_id + "}", session), 400, "audience");
  ExpectProblem(http_.Post(url, R"({"audience": "x"})", session), 400, "audience");
  ExpectProblem(http_.Post(url, R"({"variant": 1})", session), 404, "variant");  // none running
  ExpectProblem(http_.Post(url, R"({"variant": 1, "audience": 1})", session), 400, "variant");
  ASSERT_TRUE(
      node_->app().users().Create(shop_.id, "bob@example.com", store::Role::kAdmin, "battery staple").ok());
  auto bob =
      http_.Post(base_ + "/api/v1/session", R"({"email":"bob@example.com","password":"battery staple"})",
                 {{"Content-Type", "application/json"}});
  ASSERT_EQ(bob.status, 200) << bob.body;
  const HttpClient::Headers bob_session{
      {"Cookie", bob.Header("set-cookie").substr(0, bob.Header("set-cookie").find(';'))},
      {"X-CSRF-Token", json::parse(bob.body)["csrf_token"].get<std::string>()},
      {"Content-Type", "application/json"}};
  auto offered = http_.Post(
      url, json{{"body", "Offer: {{{friend_offer}}} / {{{offer_text}}}"}, {"audience", campers}}.dump(),
      bob_session);
  ASSERT_EQ(offered.status, 202) << offered.body;
  auto with_offer = sink_.WaitForMessages(before + 2);
  ASSERT_EQ(with_offer.size(), before + 2);
  EXPECT_NE(with_offer.back().find(Base64("Offer: 30% / ").substr(0, 16)), std::string::npos)
      << with_offer.back();
}

INSTANTIATE_TEST_SUITE_P(Stores, DashboardApiTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::main
