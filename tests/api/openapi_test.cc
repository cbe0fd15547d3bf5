// The OpenAPI document (docs/api/openapi.json) against the server: it is served as kept in the
// repository, and it documents exactly the routes the areas register (read from the Router, not
// from a list). The document's validity and the API tests' responses against its schemas are
// checked by tests/openapi (node, ajv).
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "api/handlers.h"
#include "base/thread_pool.h"
#include "base/time.h"
#include "main/commands.h"
#include "support/http_client.h"
#include "support/smtp_sink.h"
#include "support/test_db.h"

namespace vouch::main {
namespace {

using nlohmann::json;

std::string SourceFile(const std::string& relative) {
  const char* root = std::getenv("VOUCH_SOURCE_DIR");
  std::ifstream in(std::string(root != nullptr ? root : ".") + "/" + relative, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// "/static/{path...}" as OpenAPI writes it: "/static/{path}" (the operation says x-vouch-rest).
std::string OpenApiPath(std::string pattern) {
  for (size_t at = pattern.find("...}"); at != std::string::npos; at = pattern.find("...}"))
    pattern.erase(at, 3);
  return pattern;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<test::TestDb>("sqlite");
    Config c;
    c.listen = "127.0.0.1:0";
    c.db = db_->url();
    c.smtp_url = sink_.url();
    c.public_url = "https://vouch.test";
    c.http_threads = 1;
    c.workers = 1;
    auto node = Node::Start(c);
    ASSERT_TRUE(node.ok()) << node.error().message;
    node_ = std::move(*node);
    base_ = "http://127.0.0.1:" + std::to_string(node_->port());
  }
  void TearDown() override { node_.reset(); }

  std::unique_ptr<test::TestDb> db_;
  test::SmtpSink sink_;
  std::unique_ptr<Node> node_;
  std::string base_;
  test::HttpClient http_;
};

TEST_F(OpenApiTest, TheDocumentIsServedAsKeptInTheRepository) {
  const std::string kept = SourceFile("docs/api/openapi.json");
  ASSERT_FALSE(kept.empty()) << "docs/api/openapi.json not found under VOUCH_SOURCE_DIR";
  auto r = http_.Get(base_ + "/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.body, kept) << "the binary embeds an older docs/api/openapi.json: rebuild";
  const json doc = json::parse(r.body, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["openapi"], "3.1.0");
  // Revalidated by its ETag, like every embedded asset.
  const std::string etag = r.Header("etag");
  ASSERT_FALSE(etag.empty());
  auto again = http_.Get(base_ + "/api/v1/openapi.json", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

// Registered ⊆ documented and documented ⊆ registered. An operation documented ahead of its
// route (a branch not yet merged) carries "x-vouch-pending": "<branch>" and may be missing here;
// once its route is registered the mark must go (delete the line: it is always an operation's
// first member).
TEST_F(OpenApiTest, EveryRegisteredRouteIsDocumentedAndNoOther) {
  const json doc = json::parse(SourceFile("docs/api/openapi.json"), nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << "docs/api/openapi.json is not JSON";
  ThreadPool pool(1);
  api::Api api(node_->app(), pool, {});

  std::set<std::string> registered;
  for (const api::Route& route : api.router().routes()) {
    const std::string path = OpenApiPath(route.pattern);
    const std::string key = route.method + " " + path;
    EXPECT_TRUE(registered.insert(key).second) << "registered twice: " << key;
    const json* op = nullptr;
    if (doc["paths"].contains(path) && doc["paths"][path].contains(Lower(route.method))) {
      op = &doc["paths"][path][Lower(route.method)];
    }
    if (op == nullptr) {
      ADD_FAILURE() << "registered but not in docs/api/openapi.json: " << key;
      continue;
    }
    EXPECT_FALSE(op->contains("x-vouch-pending"))
        << key << " is registered now: drop its \"x-vouch-pending\" line from docs/api/openapi.json";
    if (path != route.pattern) {  // a {name...} capture
      EXPECT_TRUE(op->contains("x-vouch-rest"))
          << key << ": say which parameter takes the rest (x-vouch-rest)";
    }
  }
  size_t documented = 0;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const char* method : {"get", "put", "post", "delete", "options", "head", "patch", "trace"}) {
      if (!item.contains(method)) continue;
      ++documented;
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      const std::string key = upper + " " + path;
      if (!registered.count(key) && !item[method].contains("x-vouch-pending")) {
        ADD_FAILURE() << "documented but no such route is registered: " << key;
      }
    }
  }
  EXPECT_GE(documented, registered.size());
}

// The operations no other API test reaches, so that openapi.responses sees each documented
// operation answer at least once.
TEST_F(OpenApiTest, OperationsNoOtherTestReachesAnswerAsTheyAreDocumented) {
  auto shop = node_->app().shops().Create("Trail Shop", "https://trail.example");
  ASSERT_TRUE(shop.ok());
  const test::HttpClient::Headers auth = {{"Authorization", "Bearer " + shop->api_key},
                                          {"Content-Type", "application/json"}};
  // A template override dropped: the built-in one applies again.
  const std::string tmpl = base_ + "/api/v1/templates/de/survey.subject";
  ASSERT_EQ(http_.Put(tmpl, "Kurze Frage zu {{shop_name}}", auth).status, 200);
  EXPECT_EQ(json::parse(http_.Get(base_ + "/api/v1/templates", auth).body)["overrides"].size(), 1u);
  auto dropped = http_.Delete(tmpl, auth);
  EXPECT_EQ(dropped.status, 204);
  EXPECT_TRUE(dropped.body.empty());
  EXPECT_EQ(json::parse(http_.Get(base_ + "/api/v1/templates", auth).body)["overrides"].size(), 0u);

  // An answer confirmed by the page's script (JSON), and by a form (303 back to the page).
  const std::string order = R"({"id": "1001", "created_at": ")" +
                            FormatRfc3339(std::chrono::floor<std::chrono::seconds>(SystemClock().Now())) +
                            R"(", "currency": "EUR", "total_price": "59.90",
      "customer": {"id": "c-42", "email": "anna@example.com", "first_name": "Anna"}})";
  ASSERT_EQ(http_.Post(base_ + "/api/v1/orders", order, auth).status, 201);
  const std::string answer = base_ + "/s/" + node_->app().links().SurveyToken(1) + "/9";
  ASSERT_EQ(http_
                .Request("GET", answer, {}, {},
                         test::HttpOptions{.user_agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"})
                .status,
            200);
  auto confirmed = http_.Post(answer + "/confirm", "", {{"X-Vouch-Confirm", "1"}});
  EXPECT_EQ(confirmed.status, 200);
  EXPECT_EQ(json::parse(confirmed.body, nullptr, false), json({{"confirmed", true}}));
  auto form = http_.Post(answer + "/confirm", "");
  EXPECT_EQ(form.status, 303);
  EXPECT_EQ(form.Header("location"), "https://vouch.test/s/" + node_->app().links().SurveyToken(1));
  auto unknown = http_.Post(base_ + "/s/not-a-token/9/confirm", "", {{"X-Vouch-Confirm", "1"}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.Header("content-type").rfind("text/html", 0), 0u);

  // The dashboard's pages: index.html (404 only from a binary built without the dashboard).
  for (const char* page : {"/promoters", "/referrals"}) {
    auto r = http_.Get(base_ + page);
    EXPECT_TRUE(r.status == 200 || r.status == 404) << page << ": " << r.status;
    EXPECT_EQ(r.Header("content-type").rfind("text/html", 0), 0u) << page;
  }
}

}  // namespace
}  // namespace vouch::main
