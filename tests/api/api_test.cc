// The HTTP API over real loopback HTTP: a whole node (SQLite file, SMTP sink, Beast server).
#include <nlohmann/json.hpp>

#include <thread>

#include <gtest/gtest.h>

#include "api/pages.h"
#include "base/crypto.h"
#include "delivery/templates.h"
#include "main/commands.h"
#include "support/http_client.h"
#include "support/node_fixture.h"
#include "support/smtp_sink.h"
#include "support/test_db.h"

namespace vouch::main {
namespace {

using nlohmann::json;
using test::HttpClient;

const char* kOrder = R"({"id": "1001", "created_at": "2026-11-20T10:15:00Z", "currency": "EUR",
  "total_price": "59.90",
  "customer": {"id": "c-42", "email": "anna@example.com", "phone": "+4915112345678",
               "first_name": "Anna", "last_name": "Schmidt", "locale": "de"},
  "discount_codes": [],
  "line_items": [{"product_id": "p-1", "title": "Trail shoe", "category": "shoes", "quantity": 1,
                  "price": "59.90"}]})";

// Parameter: the store kind behind the node ("sqlite", "postgres"), a fresh database each test.
class ApiTest : public test::NodeTest {
 protected:
  void Configure(Config& c) override {
    c.public_rate = 0;  // these tests click from one address; e2e.edge tries the rate limit
  }

  test::HttpResponse PostOrder(const std::string& body) {
    return http_.Post(base_ + "/api/v1/orders", body, Auth());
  }

  // Asserts an RFC 9457 problem naming `field`.
  void ExpectProblem(const test::HttpResponse& r, long status, const std::string& field) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
    json j = json::parse(r.body, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r.body;
    EXPECT_EQ(j["status"], status);
    EXPECT_TRUE(j.contains("title"));
    EXPECT_TRUE(j.contains("type"));
    if (!field.empty()) {
      EXPECT_EQ(j.value("field", ""), field) << r.body;
    }
  }

  // The sample order, placed now (so its survey is never too old to schedule), then edited.
  json Order(const std::function<void(json&)>& edit = [](json&) {}) {
    json j = json::parse(kOrder);
    j["created_at"] = FormatRfc3339(std::chrono::floor<std::chrono::seconds>(SystemClock().Now()));
    edit(j);
    return j;
  }

  int64_t OrderCount() {
    auto f = http_.Get(base_ + "/api/v1/funnel?from=2000-01-01&to=2100-01-01", Auth());
    return json::parse(f.body)["orders"].get<int64_t>();
  }
};

TEST_P(ApiTest, HealthzAnswers) {
  auto r = http_.Get(base_ + "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["status"], "ok");
  EXPECT_FALSE(r.Header("x-request-id").empty());
}

TEST_P(ApiTest, OrderIsCreatedOnceAndReplayedIdempotently) {
  const Instant created = std::chrono::floor<std::chrono::seconds>(SystemClock().Now());
  const std::string body = Order([&](json& j) { j["created_at"] = FormatRfc3339(created); }).dump();
  auto first = PostOrder(body);
  ASSERT_EQ(first.status, 201) << first.body;
  json j = json::parse(first.body);
  EXPECT_EQ(j["id"], "1001");
  EXPECT_EQ(j["created"], true);
  EXPECT_EQ(j["survey"]["status"], "scheduled");
  EXPECT_EQ(j["survey"]["due_at"], FormatRfc3339(created + std::chrono::days{3}));
  auto again = PostOrder(body);
  ASSERT_EQ(again.status, 200) << again.body;
  json k = json::parse(again.body);
  EXPECT_EQ(k["created"], false);
  EXPECT_EQ(k["survey"], j["survey"]);
  EXPECT_EQ(OrderCount(), 1);
}

// Once a key is known (the first request looks it up), single orders are parsed on the I/O
// thread and answered from the writer's completion: many at once, each gets its own answer.
TEST_P(ApiTest, ConcurrentSingleOrdersFromAKnownKeyAreEachAnswered) {
  ASSERT_EQ(PostOrder(Order([](json& j) { j["id"] = "warm"; }).dump()).status, 201);
  constexpr int kThreads = 8, kEach = 25;
  std::vector<std::vector<std::pair<long, std::string>>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client;
      for (int i = 0; i < kEach; ++i) {
        const std::string id = "o-" + std::to_string(t) + "-" + std::to_string(i);
        auto r = client.Post(base_ + "/api/v1/orders", Order([&](json& j) {
                                                         j["id"] = id;
                                                         j["customer"]["id"] = "c-" + id;
                                                         if (i % 5 == 0) j["discount_codes"] = {"NOT-A-CODE"};
                                                       }).dump(),
                             Auth());
        got[t].emplace_back(r.status, r.body);
      }
      auto bad =
          client.Post(base_ + "/api/v1/orders", Order([](json& j) { j["currency"] = "XYZ"; }).dump(), Auth());
      got[t].emplace_back(bad.status, bad.body);
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      const auto& [status, body] = got[t][i];
      ASSERT_EQ(status, 201) << body;
      json j = json::parse(body);
      EXPECT_EQ(j["id"], "o-" + std::to_string(t) + "-" + std::to_string(i));
      EXPECT_EQ(j["survey"]["status"], "scheduled");
    }
    EXPECT_EQ(got[t][kEach].first, 400) << got[t][kEach].second;
    EXPECT_NE(got[t][kEach].second.find("currency"), std::string::npos);
  }
  EXPECT_EQ(OrderCount(), kThreads * kEach + 1);
  EXPECT_GT(node_->app().ingest().AsyncOrders(), 0u) << "no order took the I/O-thread path";
}

TEST_P(ApiTest, MissingOrWrongApiKeyIs401) {
  ExpectProblem(http_.Post(base_ + "/api/v1/orders", Order().dump()), 401, "Authorization");
  ExpectProblem(http_.Post(base_ + "/api/v1/orders", Order().dump(), {{"Authorization", "Bearer vk_nope"}}),
                401, "Authorization");
  ExpectProblem(http_.Get(base_ + "/api/v1/nps", {{"Authorization", "Basic " + key_}}), 401, "Authorization");
}

TEST_P(ApiTest, BadOrdersGetProblemsNamingTheFieldAndStoreNothing) {
  struct Case {
    std::string name;
    std::string body;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"malformed JSON", R"({"id": "1", )", "body"},
      {"not an object", "[1,2]", ""},
      {"missing id", Order([](json& j) { j.erase("id"); }).dump(), "id"},
      {"id of wrong type", Order([](json& j) { j["id"] = json::array(); }).dump(), "id"},
      {"missing created_at", Order([](json& j) { j.erase("created_at"); }).dump(), "created_at"},
      {"bad timestamp", Order([](json& j) { j["created_at"] = "yesterday"; }).dump(), "created_at"},
      {"unknown currency", Order([](json& j) { j["currency"] = "XYZ"; }).dump(), "currency"},
      {"negative total", Order([](json& j) { j["total_price"] = "-5.00"; }).dump(), "total_price"},
      {"total as bool", Order([](json& j) { j["total_price"] = true; }).dump(), "total_price"},
      {"too many decimals", Order([](json& j) { j["total_price"] = "5.001"; }).dump(), "total_price"},
      {"invalid email", Order([](json& j) { j["customer"]["email"] = "anna@"; }).dump(), "customer.email"},
      {"invalid phone", Order([](json& j) { j["customer"]["phone"] = "12"; }).dump(), "customer.phone"},
      {"missing customer", Order([](json& j) { j.erase("customer"); }).dump(), "customer"},
      {"anonymous customer", Order([](json& j) { j["customer"] = json::object(); }).dump(), "customer.id"},
      {"bad locale", Order([](json& j) { j["customer"]["locale"] = "german"; }).dump(), "customer.locale"},
      {"codes not an array", Order([](json& j) { j["discount_codes"] = "ANNA"; }).dump(), "discount_codes"},
      {"bad item price", Order([](json& j) { j["line_items"][0]["price"] = "abc"; }).dump(),
       "line_items[0].price"},
      {"bad quantity", Order([](json& j) { j["line_items"][0]["quantity"] = 0; }).dump(),
       "line_items[0].quantity"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ExpectProblem(PostOrder(c.body), 400, c.field);
  }
  EXPECT_EQ(OrderCount(), 0);
  EXPECT_EQ(PostOrder(Order().dump()).status, 201) << "the server survived every bad request";
}

TEST_P(ApiTest, BodyOverOneMebibyteIs413) {
  std::string big = Order([](json& j) { j["line_items"][0]["title"] = std::string(100, 'x'); }).dump();
  big += std::string((1 << 20) + 10, ' ');
  ExpectProblem(PostOrder(big), 413, "");
  EXPECT_EQ(OrderCount(), 0);
}

TEST_P(ApiTest, BatchTakesArraysAndNdjsonAndReportsEachOrder) {
  json a = Order([](json& j) { j["id"] = "b-1"; });
  json b = Order([](json& j) {
    j["id"] = "b-2";
    j["customer"]["id"] = "c-2";
    j["customer"]["email"] = "bo@example.com";
  });
  json bad = Order([](json& j) {
    j["id"] = "b-3";
    j["currency"] = "ZZZ";
  });
  auto r = http_.Post(base_ + "/api/v1/orders/batch", json::array({a, b, bad, a}).dump(), Auth());
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  EXPECT_EQ(j["created"], 2);
  EXPECT_EQ(j["existing"], 1);
  EXPECT_EQ(j["failed"], 1);
  EXPECT_EQ(j["results"][2]["field"], "currency");
  EXPECT_EQ(j["results"][2]["id"], "b-3");
  EXPECT_EQ(j["results"][2]["status"], 400);
  EXPECT_EQ(j["results"][3]["status"], 200);

  json c = Order([](json& x) { x["id"] = "n-1"; });
  json d = Order([](json& x) { x["id"] = "n-2"; });
  auto nd = http_.Post(base_ + "/api/v1/orders/batch", c.dump() + "\n" + d.dump() + "\n{oops\n",
                       {{"Authorization", "Bearer " + key_}, {"Content-Type", "application/x-ndjson"}});
  ASSERT_EQ(nd.status, 200) << nd.body;
  json k = json::parse(nd.body);
  EXPECT_EQ(k["created"], 2);
  EXPECT_EQ(k["failed"], 1);
  EXPECT_EQ(OrderCount(), 4);
}

TEST_P(ApiTest, BatchOverTheLimitIsRejectedWhole) {
  std::string body;
  for (int i = 0; i < 10'001; ++i) body += R"({"id":")" + std::to_string(i) + "\"}\n";
  ExpectProblem(http_.Post(base_ + "/api/v1/orders/batch", body, Auth()), 400, "body");
  EXPECT_EQ(OrderCount(), 0);
}

TEST_P(ApiTest, SettingsCanBeReadAndPatched) {
  auto get = http_.Get(base_ + "/api/v1/settings", Auth());
  ASSERT_EQ(get.status, 200);
  EXPECT_EQ(json::parse(get.body)["survey_delay_seconds"], 259200);
  auto patch =
      http_.Patch(base_ + "/api/v1/settings",
                  R"({"survey_delay_seconds": 0, "discount_value": 20, "reward_minor": 1500})", Auth());
  ASSERT_EQ(patch.status, 200) << patch.body;
  EXPECT_EQ(json::parse(patch.body)["discount_value"], 20);
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings", R"({"survey_delay_seconds": "soon"})", Auth()), 400,
                "survey_delay_seconds");
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings", R"({"colour": "red"})", Auth()), 400, "colour");
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings", R"({"discount_value": 150})", Auth()), 400,
                "discount_value");
  const Instant before = std::chrono::floor<std::chrono::seconds>(SystemClock().Now());
  auto order = PostOrder(Order().dump());
  auto due = ParseRfc3339(json::parse(order.body)["survey"]["due_at"].get<std::string>(), "due_at");
  ASSERT_TRUE(due.ok());
  EXPECT_GE(*due, before) << "delay 0: due at once";
  EXPECT_LE(*due, before + std::chrono::minutes{1});
}

TEST_P(ApiTest, ShopsSeeOnlyTheirOwnData) {
  ASSERT_EQ(PostOrder(Order().dump()).status, 201);
  auto other = node_->app().shops().Create("Other", "https://other.example");
  ASSERT_TRUE(other.ok());
  HttpClient::Headers h = {{"Authorization", "Bearer " + other->api_key}};
  auto f = http_.Get(base_ + "/api/v1/funnel?from=2000-01-01&to=2100-01-01", h);
  EXPECT_EQ(json::parse(f.body)["orders"], 0);
  EXPECT_EQ(http_.Get(base_ + "/api/v1/customers/c-42/export", h).status, 404);
  // The same order id in another shop is another order.
  EXPECT_EQ(http_.Post(base_ + "/api/v1/orders", Order().dump(), h).status, 201);
}

TEST_P(ApiTest, AnswerLinksRejectUnknownTokensAndScores) {
  EXPECT_EQ(http_.Get(base_ + "/s/not-a-token/9").status, 404);
  EXPECT_EQ(http_.Get(base_ + "/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/9").status, 404);
  ASSERT_EQ(PostOrder(Order().dump()).status, 201);
  const std::string token = node_->app().links().SurveyToken(1);
  EXPECT_EQ(http_.Get(base_ + "/s/" + token + "/11").status, 404);
  EXPECT_EQ(http_.Get(base_ + "/s/" + token + "/-1").status, 404);
  EXPECT_EQ(http_.Get(base_ + "/s/" + token + "/ten").status, 404);
  auto ok = http_.Request("GET", base_ + "/s/" + token + "/9", {}, {},
                          test::HttpOptions{.user_agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"});
  EXPECT_EQ(ok.status, 200);
  EXPECT_NE(ok.body.find("id=\"code\""), std::string::npos) << "a promoter sees their code";
  EXPECT_NE(ok.Header("content-security-policy").find("default-src 'none'"), std::string::npos);
}

// GET answer clicks are queued for the writer from the I/O thread and their pages rendered back
// there: many at once on fresh connections, each recorded once and shown its own page; HEAD (a
// link preview) and bad links take the handler threads and record nothing.
TEST_P(ApiTest, ConcurrentAnswerClicksAreEachRecordedAndAnswered) {
  constexpr int kSurveys = 60;
  json batch = json::array();
  for (int i = 0; i < kSurveys; ++i) {
    batch.push_back(Order([&](json& j) {
      j["id"] = "o-" + std::to_string(i);
      j["customer"]["id"] = "c-" + std::to_string(i);
      j["customer"]["email"] = "c" + std::to_string(i) + "@example.com";
    }));
  }
  auto posted = http_.Post(base_ + "/api/v1/orders/batch", batch.dump(), Auth());
  ASSERT_EQ(posted.status, 200) << posted.body;
  ASSERT_EQ(json::parse(posted.body)["created"], kSurveys);

  const uint64_t before = node_->app().answers().AsyncClicks();
  auto head = http_.Head(base_ + "/s/" + node_->app().links().SurveyToken(1) + "/9");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(node_->app().answers().AsyncClicks(), before) << "HEAD took the I/O-thread path";

  constexpr int kThreads = 6;
  std::vector<std::vector<test::HttpResponse>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client(
          test::HttpOptions{.fresh_connection = true, .user_agent = "Mozilla/5.0 Firefox/128.0"});
      for (int i = t; i < kSurveys; i += kThreads) {
        got[t].push_back(client.Get(base_ + "/s/" + node_->app().links().SurveyToken(i + 1) + "/" +
                                    std::to_string(i % 11)));
      }
      got[t].push_back(client.Get(base_ + "/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/" + std::to_string(t)));
    });
  }
  for (auto& th : threads) th.join();
  int promoters = 0, detractors = 0;
  for (int t = 0; t < kThreads; ++t) {
    size_t k = 0;
    for (int i = t; i < kSurveys; i += kThreads, ++k) {
      const auto& r = got[t][k];
      ASSERT_EQ(r.status, 200) << r.body;
      EXPECT_NE(r.Header("content-security-policy").find("default-src 'none'"), std::string::npos);
      const int score = i % 11;
      // The page marks the score given as selected, and shows a code to promoters only.
      EXPECT_NE(r.body.find(" aria-current=\"true\">" + std::to_string(score) + "</a>"), std::string::npos)
          << "survey " << i + 1 << " score " << score;
      EXPECT_EQ(r.body.find("id=\"code\"") != std::string::npos, score >= 9) << "score " << score;
      promoters += score >= 9;
      detractors += score <= 6;
    }
    EXPECT_EQ(got[t][k].status, 404) << got[t][k].body;
  }
  EXPECT_EQ(node_->app().answers().AsyncClicks(), before + kSurveys)
      << "every valid GET click queued from the I/O thread";
  auto nps = http_.Get(base_ + "/api/v1/nps", Auth());
  ASSERT_EQ(nps.status, 200) << nps.body;
  json j = json::parse(nps.body);
  EXPECT_EQ(j["overall"]["n"], kSurveys);
  EXPECT_EQ(j["overall"]["promoters"], promoters);
  EXPECT_EQ(j["overall"]["detractors"], detractors);
  // The histogram: answers by score, i % 11 for survey i + 1.
  ASSERT_EQ(j["scores"].size(), 11u);
  for (int score = 0; score <= 10; ++score) {
    EXPECT_EQ(j["scores"][score], kSurveys / 11 + (score < kSurveys % 11 ? 1 : 0)) << "score " << score;
  }
}

TEST_P(ApiTest, PagesEscapeWhatCustomersAndShopsWrite) {
  json o = Order([](json& j) { j["customer"]["first_name"] = "<script>alert(1)</script>"; });
  ASSERT_EQ(PostOrder(o.dump()).status, 201);
  const std::string token = node_->app().links().SurveyToken(1);
  auto page = http_.Request("GET", base_ + "/s/" + token + "/3", {}, {},
                            test::HttpOptions{.user_agent = "Mozilla/5.0 Firefox/128.0"});
  ASSERT_EQ(page.status, 200);
  auto comment = http_.Post(base_ + "/s/" + token + "/comment", "comment=%3Cb%3Ebad%3C%2Fb%3E+service",
                            {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(comment.status, 303);
  auto view = http_.Get(base_ + "/s/" + token);
  EXPECT_EQ(view.body.find("<b>bad</b>"), std::string::npos);
  EXPECT_NE(view.body.find("&lt;b&gt;bad&lt;/b&gt; service"), std::string::npos);
  auto responses = http_.Get(base_ + "/api/v1/responses?category=detractor", Auth());
  ASSERT_EQ(responses.status, 200);
  EXPECT_EQ(json::parse(responses.body)["responses"][0]["comment"], "<b>bad</b> service");
}

TEST_P(ApiTest, ReportsValidateTheirParameters) {
  ExpectProblem(http_.Get(base_ + "/api/v1/nps?interval=year", Auth()), 400, "interval");
  ExpectProblem(http_.Get(base_ + "/api/v1/nps?from=2026-13-01", Auth()), 400, "from");
  ExpectProblem(http_.Get(base_ + "/api/v1/nps?from=2026-11-20&to=2026-11-01", Auth()), 400, "to");
  ExpectProblem(http_.Get(base_ + "/api/v1/responses?category=fans", Auth()), 400, "category");
  ExpectProblem(http_.Get(base_ + "/api/v1/promoters?limit=0", Auth()), 400, "limit");
  auto nps = http_.Get(base_ + "/api/v1/nps?from=2026-11-01&to=2026-11-30&interval=week", Auth());
  ASSERT_EQ(nps.status, 200);
  json j = json::parse(nps.body);
  EXPECT_EQ(j["overall"]["n"], 0);
  EXPECT_EQ(j["overall"]["ci_low"], -100.0);
  // Nov 1 is a Sunday: a one-day first bucket, then weeks from Mondays up to and including Nov 30.
  ASSERT_EQ(j["buckets"].size(), 6u);
  EXPECT_EQ(j["buckets"][0]["start"], "2026-11-01T00:00:00Z");
  EXPECT_EQ(j["buckets"][0]["end"], "2026-11-02T00:00:00Z");
  EXPECT_EQ(j["buckets"][1]["start"], "2026-11-02T00:00:00Z");
  EXPECT_EQ(j["buckets"][5]["start"], "2026-11-30T00:00:00Z");
  EXPECT_EQ(j["buckets"][5]["end"], "2026-12-01T00:00:00Z");
  EXPECT_EQ(http_.Get(base_ + "/api/v1/nope", Auth()).status, 404);
  EXPECT_EQ(http_.Request("DELETE", base_ + "/api/v1/nps", {}, Auth()).status, 405);
}

// Four shoe buyers answer 10, 10, 10, 9 and four tent buyers 0, 1, 2, 10, all today. By hand:
// shoes NPS 100, tents −50; adjusted-Wald difference z = −2.1026, p = 0.0355, 95% interval
// [−165.6, −5.8]: significant.
TEST_P(ApiTest, NpsCompareAndSegmentsCarryTheirSignificance) {
  const int scores[] = {10, 10, 10, 9, 0, 1, 2, 10};
  json batch = json::array();
  for (int i = 0; i < 8; ++i) {
    batch.push_back(Order([&](json& j) {
      j["id"] = "o-" + std::to_string(i);
      j["customer"]["id"] = "c-" + std::to_string(i);
      j["customer"]["email"] = "c" + std::to_string(i) + "@example.com";
      j["line_items"][0]["category"] = i < 4 ? "shoes" : "tents";
    }));
  }
  ASSERT_EQ(http_.Post(base_ + "/api/v1/orders/batch", batch.dump(), Auth()).status, 200);
  for (int i = 0; i < 8; ++i) {
    auto click = http_.Request(
        "GET", base_ + "/s/" + node_->app().links().SurveyToken(i + 1) + "/" + std::to_string(scores[i]), {},
        {}, test::HttpOptions{.user_agent = "Mozilla/5.0 Firefox/128.0"});
    ASSERT_EQ(click.status, 200) << click.body;
  }
  const std::string today = FormatRfc3339(SystemClock().Now()).substr(0, 10);
  auto r = http_.Get(base_ + "/api/v1/nps/compare?a_from=" + today + "&a_to=" + today +
                         "&a_segment=shoes&b_from=" + today + "&b_to=" + today + "&b_segment=tents",
                     Auth());
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  EXPECT_EQ(j["a"]["segment"], "shoes");
  EXPECT_EQ(j["a"]["n"], 4);
  EXPECT_EQ(j["a"]["nps"], 100.0);
  EXPECT_EQ(j["b"]["n"], 4);
  EXPECT_EQ(j["b"]["nps"], -50.0);
  EXPECT_EQ(j["difference"]["difference"], -150.0);
  EXPECT_EQ(j["difference"]["p_value"], 0.0355);
  EXPECT_EQ(j["difference"]["ci_low"], -165.6);
  EXPECT_EQ(j["difference"]["ci_high"], -5.8);
  EXPECT_EQ(j["difference"]["significant"], true);
  EXPECT_EQ(j["method"], "adjusted-wald (Rocks 2016)");

  // Defaults: B the last 30 days, A the 30 before, which hold no answers: no claim.
  auto d = http_.Get(base_ + "/api/v1/nps/compare", Auth());
  ASSERT_EQ(d.status, 200) << d.body;
  json dj = json::parse(d.body);
  EXPECT_EQ(dj["b"]["n"], 8);
  EXPECT_EQ(dj["a"]["n"], 0);
  EXPECT_EQ(dj["difference"]["p_value"], 1.0);
  EXPECT_EQ(dj["difference"]["significant"], false);
  ExpectProblem(http_.Get(base_ + "/api/v1/nps/compare?a_from=2026-13-01", Auth()), 400, "a_from");
  ExpectProblem(http_.Get(base_ + "/api/v1/nps/compare?b_from=2026-11-20&b_to=2026-11-01", Auth()), 400,
                "b_to");

  auto plain = http_.Get(base_ + "/api/v1/nps?from=" + today + "&to=" + today, Auth());
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_FALSE(json::parse(plain.body).contains("segments")) << "the plain report is as it was";
  EXPECT_FALSE(json::parse(plain.body)["buckets"][0].contains("vs_previous"));
  ExpectProblem(http_.Get(base_ + "/api/v1/nps?significance=yes", Auth()), 400, "significance");
  auto nps = http_.Get(base_ + "/api/v1/nps?significance=true&from=" + today + "&to=" + today, Auth());
  ASSERT_EQ(nps.status, 200) << nps.body;
  json n = json::parse(nps.body);
  ASSERT_EQ(n["segments"].size(), 2u);
  EXPECT_EQ(n["segments"][0]["segment"], "shoes");
  EXPECT_EQ(n["segments"][0]["nps"], 100.0);
  EXPECT_EQ(n["segments"][0]["vs_rest"]["p_value"], 0.0355);
  EXPECT_EQ(n["segments"][0]["vs_rest"]["significant"], true);
  EXPECT_EQ(n["segments"][1]["vs_rest"]["difference"], -150.0);
  EXPECT_TRUE(n["vs_rest"].is_null());
  ASSERT_EQ(n["buckets"].size(), 1u);
  EXPECT_TRUE(n["buckets"][0]["vs_previous"].is_null());
  auto seg = http_.Get(
      base_ + "/api/v1/nps?significance=true&from=" + today + "&to=" + today + "&segment=tents", Auth());
  ASSERT_EQ(seg.status, 200);
  EXPECT_EQ(json::parse(seg.body)["vs_rest"]["difference"], -150.0);
}

TEST_P(ApiTest, TemplatesCanBeOverriddenPerShopAndLocale) {
  auto list = http_.Get(base_ + "/api/v1/templates", Auth());
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("survey.html"), std::string::npos);
  ExpectProblem(http_.Put(base_ + "/api/v1/templates/de/survey.subject", "{{#open}}never closed", Auth()),
                400, "");
  ExpectProblem(http_.Put(base_ + "/api/v1/templates/de/nonsense.txt", "x", Auth()), 400, "name");
  std::string bomb;
  for (int i = 0; i < 12; ++i) bomb += "{{#buttons}}";
  for (int i = 0; i < 12; ++i) bomb += "{{/buttons}}";
  auto refused = http_.Put(base_ + "/api/v1/templates/de/survey.txt", bomb, Auth());
  ExpectProblem(refused, 400, "template");
  EXPECT_NE(json::parse(refused.body).value("detail", "").find("section \"buttons\" is nested inside itself"),
            std::string::npos)
      << refused.body;
  EXPECT_EQ(
      http_.Put(base_ + "/api/v1/templates/de/survey.subject", "Kurze Frage zu {{shop_name}}", Auth()).status,
      200);
  ASSERT_EQ(http_.Patch(base_ + "/api/v1/settings", R"({"survey_delay_seconds": 0})", Auth()).status, 200);
  json o = Order();
  ASSERT_EQ(PostOrder(o.dump()).status, 201);
  auto mails = sink_.WaitForMessages(1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].find("Subject: Kurze Frage zu Trail Shop"), std::string::npos)
      << mails[0].substr(0, 600);
}

TEST_P(ApiTest, AShareTextMustDiscloseTheReward) {
  // Without the disclosure, or with it only inside a section (which may render nothing): refused.
  for (const std::string body :
       {"Buy at {{shop_name}} with my link!", "Buy here {{#shop_name}}{{reward_disclosure}}{{/shop_name}}",
        "Buy here {{^shop_name}}{{reward_disclosure}}{{/shop_name}}", "Buy here {{! reward_disclosure }}"}) {
    auto refused = http_.Put(base_ + "/api/v1/templates/en/share.txt", body, Auth());
    ExpectProblem(refused, 400, "template");
    EXPECT_NE(json::parse(refused.body).value("detail", "").find("{{reward_disclosure}}"), std::string::npos)
        << refused.body;
  }
  auto listed = http_.Get(base_ + "/api/v1/templates", Auth());
  EXPECT_EQ(json::parse(listed.body)["overrides"].size(), 0u) << "nothing refused was stored";
  EXPECT_EQ(http_
                .Put(base_ + "/api/v1/templates/de/share.txt",
                     "Bei {{shop_name}} gibt es {{friend_offer}} Rabatt. {{{reward_disclosure}}}", Auth())
                .status,
            200);
  // Other templates need no disclosure.
  EXPECT_EQ(http_.Put(base_ + "/api/v1/templates/en/survey.subject", "Quick question", Auth()).status, 200);
}

TEST_P(ApiTest, OneClickUnsubscribeAndShareLinks) {
  ASSERT_EQ(PostOrder(Order().dump()).status, 201);
  const std::string unsub = base_ + "/u/" + node_->app().links().UnsubscribeToken(1);
  auto page = http_.Get(unsub);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("id=\"unsubscribe\""), std::string::npos)
      << "GET only asks; it must not unsubscribe";
  auto one_click = http_.Post(unsub, "List-Unsubscribe=One-Click",
                              {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(one_click.status, 200);
  json second = Order([](json& j) { j["id"] = "2002"; });
  auto r = PostOrder(second.dump());
  EXPECT_EQ(json::parse(r.body)["survey"]["reason"], "unsubscribed");
  EXPECT_EQ(http_.Get(base_ + "/r/NOPE-2345").status, 404);
}

TEST_P(ApiTest, CustomerDataCanBeExportedAndErased) {
  ASSERT_EQ(PostOrder(Order().dump()).status, 201);
  auto e = http_.Get(base_ + "/api/v1/customers/c-42/export", Auth());
  ASSERT_EQ(e.status, 200);
  json j = json::parse(e.body);
  EXPECT_EQ(j["customer"]["email"], "anna@example.com");
  EXPECT_EQ(j["orders"].size(), 1u);
  EXPECT_EQ(http_.Delete(base_ + "/api/v1/customers/c-42", Auth()).status, 204);
  EXPECT_EQ(http_.Get(base_ + "/api/v1/customers/c-42/export", Auth()).status, 404);
}

// The router splits the raw path before decoding each segment: an id with slashes, sent
// percent-encoded, is one id for export and erasure alike.
TEST_P(ApiTest, AnEncodedSlashKeepsACustomerIdWhole) {
  const std::string id = "gid://shopify/Customer/7";
  const std::string encoded = "gid%3A%2F%2Fshopify%2FCustomer%2F7";
  ASSERT_EQ(PostOrder(Order([&](json& j) {
                        j["customer"]["id"] = id;
                        j["customer"]["email"] = "gid@example.com";
                      }).dump())
                .status,
            201);
  auto e = http_.Get(base_ + "/api/v1/customers/" + encoded + "/export", Auth());
  ASSERT_EQ(e.status, 200) << e.body;
  json j = json::parse(e.body);
  EXPECT_EQ(j["customer"]["email"], "gid@example.com");
  EXPECT_EQ(j["orders"].size(), 1u);
  // Lower-case escapes are the same id; the id's pieces as segments are no route at all.
  EXPECT_EQ(http_.Get(base_ + "/api/v1/customers/gid%3a%2f%2fshopify%2fCustomer%2f7/export", Auth()).status,
            200);
  ExpectProblem(http_.Get(base_ + "/api/v1/customers/gid:/shopify/Customer/7/export", Auth()), 404, "");
  EXPECT_EQ(http_.Delete(base_ + "/api/v1/customers/" + encoded, Auth()).status, 204);
  EXPECT_EQ(http_.Get(base_ + "/api/v1/customers/" + encoded + "/export", Auth()).status, 404);
}

TEST_P(ApiTest, EncodedSlashesAndBadEscapesInPathsAreNoRoute) {
  ExpectProblem(http_.Post(base_ + "/api/v1/orders%2Fbatch", "[]", Auth()), 404, "");
  ExpectProblem(http_.Get(base_ + "/api/v1/customers/%zz/export", Auth()), 404, "");
  EXPECT_EQ(http_.Get(base_ + "/s/%zz/9").status, 404);
  EXPECT_EQ(http_.Get(base_ + "/s/abc%2F9").status, 404) << "one token, no score";
  EXPECT_EQ(http_.Get(base_ + "/healthz").status, 200) << "the server survived";
  // Escapes of ordinary characters in literal segments still match, as before.
  EXPECT_EQ(http_.Get(base_ + "/%68ealthz").status, 200);
}

// Body limits belong to routes: 64 MiB for batches, 1 MiB for the rest (413 before 404/405).
TEST_P(ApiTest, BodyLimitsAreTheRoutes) {
  json a = Order([](json& j) { j["id"] = "big-1"; });
  std::string big = json::array({a}).dump() + std::string((1 << 20) + 10, ' ');
  auto batch = http_.Post(base_ + "/api/v1/orders/batch", big, Auth());
  ASSERT_EQ(batch.status, 200) << batch.body;
  EXPECT_EQ(json::parse(batch.body)["created"], 1);
  const std::string padded = R"({"survey_delay_seconds": 0})" + std::string((1 << 20) + 10, ' ');
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings", padded, Auth()), 413, "body");
  ExpectProblem(http_.Post(base_ + "/api/v1/nope", padded, Auth()), 413, "body");
  // A path known under another method takes that route's limit: 405, not 413.
  EXPECT_EQ(http_.Request("PUT", base_ + "/api/v1/orders/batch", big, Auth()).status, 405);
}

// web/static, embedded at build time: ETags (the SHA-256 of the bytes), 304 on If-None-Match,
// HEAD, and 404 for what is not there.
TEST_P(ApiTest, StaticAssetsAreServedWithEtags) {
  auto css = http_.Get(base_ + "/static/vouch.css");
  ASSERT_EQ(css.status, 200);
  EXPECT_EQ(css.Header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(css.Header("cache-control"), "public, max-age=3600");
  EXPECT_EQ(css.Header("x-content-type-options"), "nosniff");
  const std::string etag = css.Header("etag");
  EXPECT_EQ(etag, "\"" + Sha256Hex(css.body) + "\"");
  EXPECT_EQ(http_.Get(base_ + "/static/vouch.css").Header("etag"), etag) << "stable";
  auto js = http_.Get(base_ + "/static/answer.js");
  ASSERT_EQ(js.status, 200);
  EXPECT_EQ(js.Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_NE(js.Header("etag"), etag);

  auto again = http_.Get(base_ + "/static/vouch.css", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(again.body, "");
  EXPECT_EQ(again.Header("etag"), etag);
  EXPECT_EQ(again.Header("content-length"), "");
  EXPECT_EQ(http_.Get(base_ + "/static/vouch.css", {{"If-None-Match", "\"stale\""}}).status, 200);

  auto head = http_.Head(base_ + "/static/vouch.css");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.Header("content-length"), std::to_string(css.body.size()));
  EXPECT_EQ(head.Header("etag"), etag);

  EXPECT_EQ(http_.Get(base_ + "/static/nope.css").status, 404);
  EXPECT_EQ(http_.Get(base_ + "/static/app/nope.js").status, 404);
  EXPECT_EQ(http_.Get(base_ + "/static/").status, 404);
  EXPECT_EQ(http_.Request("POST", base_ + "/static/vouch.css").status, 405);

  // The dashboard (web/dashboard, embedded under dashboard/): index.html at / and at each of its
  // client-side paths, revalidated, under a CSP that allows no inline script or style; the script
  // and style sheet it links are served with content-hashed, immutable names.
  for (const std::string path : {"/", "/overview", "/promoters/c-1", "/responses", "/settings", "/signin"}) {
    auto index = http_.Get(base_ + path);
    ASSERT_EQ(index.status, 200) << path;
    EXPECT_EQ(index.Header("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(index.Header("cache-control"), "no-cache");
    const std::string csp = index.Header("content-security-policy");
    EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;
    EXPECT_NE(csp.find("style-src 'self';"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
    EXPECT_EQ(index.body.find("<script>"), std::string::npos) << "no inline script";
    EXPECT_EQ(index.body.find("style="), std::string::npos) << "no style attribute";
  }
  const std::string index = http_.Get(base_ + "/").body;
  for (const auto& [tag, type] :
       {std::pair<std::string, std::string>{"<script", "text/javascript; charset=utf-8"},
        {"<link", "text/css; charset=utf-8"}}) {
    const size_t at = index.find("/static/dashboard/app.", index.find(tag));
    ASSERT_NE(at, std::string::npos) << tag << " in " << index;
    auto file = http_.Get(base_ + index.substr(at, index.find('"', at) - at));
    ASSERT_EQ(file.status, 200) << tag;
    EXPECT_EQ(file.Header("content-type"), type);
    EXPECT_EQ(file.Header("cache-control"), "public, max-age=31536000, immutable");
    EXPECT_GT(file.body.size(), 1000u);
  }
  EXPECT_EQ(http_.Get(base_ + "/overview/extra").status, 404);

  // The pages link what is served.
  ASSERT_EQ(PostOrder(Order().dump()).status, 201);
  auto page = http_.Get(base_ + "/s/" + node_->app().links().SurveyToken(1));
  ASSERT_EQ(page.status, 200);
  for (const std::string link : {"/static/vouch.css", "/static/answer.js"}) {
    EXPECT_NE(page.body.find(link), std::string::npos) << link;
  }
}

TEST_P(ApiTest, FailedMailIsVisibleThroughTheApi) {
  sink_.Stop();
  test::SmtpSink::Options o;
  o.rcpt_reply = 550;
  test::SmtpSink rejecting(o);
  // A second node on the same database, sending through the rejecting server.
  node_.reset();
  Config c;
  c.listen = "127.0.0.1:0";
  c.db = db_->url();
  c.smtp_url = rejecting.url();
  c.workers = 1;
  auto node = Node::Start(c);
  ASSERT_TRUE(node.ok());
  node_ = std::move(*node);
  base_ = "http://127.0.0.1:" + std::to_string(node_->port());
  ASSERT_EQ(http_.Patch(base_ + "/api/v1/settings", R"({"survey_delay_seconds": 0})", Auth()).status, 200);
  json order = Order();
  ASSERT_EQ(PostOrder(order.dump()).status, 201);
  json failed;
  for (int i = 0; i < 100; ++i) {
    failed = json::parse(http_.Get(base_ + "/api/v1/jobs?status=failed", Auth()).body);
    if (!failed["jobs"].empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(failed["jobs"].size(), 1u);
  EXPECT_NE(failed["jobs"][0]["last_error"].get<std::string>().find("550"), std::string::npos);
  EXPECT_EQ(failed["counts"]["failed"], 1);
}

// Answer pages are filled per click from a skeleton per shape (delivery::RenderTemplateFilled):
// what the server sends is, byte for byte, the full render of the survey's view, in each
// customer's language, before and after the shop changes its name and discount.
TEST_P(ApiTest, AnswerPagesAreTheFullRenderBeforeAndAfterASettingsChange) {
  ASSERT_EQ(PostOrder(Order().dump()).status, 201);  // customer locale de
  ASSERT_EQ(PostOrder(Order([](json& j) {
                        j["id"] = "1002";
                        j["customer"]["id"] = "c-43";
                        j["customer"]["email"] = "ben@example.com";
                        j["customer"]["phone"] = "+4915112345679";
                        j["customer"]["locale"] = "en";
                      }).dump())
                .status,
            201);
  const auto full = [&](const std::string& token) {
    auto v = node_->app().answers().View(token);
    EXPECT_TRUE(v.ok());
    if (!v.ok()) return std::string();
    auto r = delivery::RenderTemplate("page_answer.html", v->locale,
                                      api::AnswerPageContext("https://vouch.test", *v, token, false));
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::string();
  };
  std::string before;
  for (int round = 0; round < 2; ++round) {
    for (int id : {1, 2}) {
      const std::string token = node_->app().links().SurveyToken(id);
      auto click =
          http_.Request("GET", base_ + "/s/" + token + (round == 0 ? "/10" : "/9"), {}, {},
                        test::HttpOptions{.user_agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"});
      ASSERT_EQ(click.status, 200);
      EXPECT_EQ(click.body, full(token)) << "round " << round << " survey " << id;
      EXPECT_EQ(http_.Get(base_ + "/s/" + token).body, full(token)) << "round " << round << " survey " << id;
      if (round == 0 && id == 2) before = click.body;
    }
    if (round == 0) {
      ASSERT_EQ(http_
                    .Patch(base_ + "/api/v1/settings",
                           R"({"name": "Renamed <&> \"Shop\"", "discount_value": 25})", Auth())
                    .status,
                200);
    }
  }
  const std::string after = http_.Get(base_ + "/s/" + node_->app().links().SurveyToken(2)).body;
  EXPECT_NE(after, before);
  EXPECT_NE(after.find("Renamed &lt;&amp;&gt; &quot;Shop&quot;"), std::string::npos) << after;
}

INSTANTIATE_TEST_SUITE_P(Stores, ApiTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::main
