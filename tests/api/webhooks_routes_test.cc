// /api/v1/webhooks over real loopback HTTP on every store: create (the secret shown once), list
// (no secret; a Slack URL masked), delete, the fields of bad requests, admins only, and a
// server without webhooks_allow_private refusing a loopback URL.
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "main/commands.h"
#include "support/http_client.h"
#include "support/smtp_sink.h"
#include "support/test_db.h"

namespace vouch::main {
namespace {

using nlohmann::json;
using test::HttpClient;

class WebhookRoutesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!test::TestDb::Available(GetParam())) GTEST_SKIP() << test::TestDb::kSkip;
    db_ = std::make_unique<test::TestDb>(GetParam());
    node_ = Start(true);
    ASSERT_NE(node_, nullptr);
    auto shop = node_->app().shops().Create("Hook Shop", "https://hooks.example");
    ASSERT_TRUE(shop.ok());
    key_ = shop->api_key;
  }
  void TearDown() override { node_.reset(); }

  std::unique_ptr<Node> Start(bool allow_private) {
    Config c;
    c.listen = "127.0.0.1:0";
    c.db = db_->url();
    c.smtp_url = sink_.url();
    c.public_url = "https://vouch.test";
    c.http_threads = 1;
    c.workers = 1;
    c.webhooks_allow_private = allow_private;
    auto node = Node::Start(c);
    EXPECT_TRUE(node.ok()) << node.error().message;
    return node.ok() ? std::move(*node) : nullptr;
  }
  std::string Base(Node& n) { return "http://127.0.0.1:" + std::to_string(n.port()) + "/api/v1/webhooks"; }
  HttpClient::Headers Auth() {
    return {{"Authorization", "Bearer " + key_}, {"Content-Type", "application/json"}};
  }
  static std::string FieldOf(const test::HttpResponse& r) {
    json j = json::parse(r.body, nullptr, false);
    return j.is_object() ? j.value("field", "") : "";
  }

  std::unique_ptr<test::TestDb> db_;
  test::SmtpSink sink_;
  std::unique_ptr<Node> node_;
  std::string key_;
  HttpClient http_;
};

TEST_P(WebhookRoutesTest, CreateListDelete) {
  const std::string base = Base(*node_);
  auto created = http_.Post(
      base,
      json{{"url", "http://127.0.0.1:9/hooks"}, {"events", {"detractor.created", "reward.released"}}}.dump(),
      Auth());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("cache-control"), "no-store");
  json c = json::parse(created.body);
  const std::string secret = c["secret"];
  EXPECT_TRUE(secret.starts_with("whsec_")) << secret;
  EXPECT_EQ(c["webhook"]["kind"], "standard");
  EXPECT_EQ(c["webhook"]["status"], "active");
  EXPECT_EQ(c["webhook"]["events"], json({"detractor.created", "reward.released"}));

  auto slack = http_.Post(base,
                          json{{"url", "http://127.0.0.1:9/services/T01/B02/XXXXsecretXXXX"},
                               {"kind", "slack"},
                               {"events", {"detractor.created"}}}
                              .dump(),
                          Auth());
  ASSERT_EQ(slack.status, 201) << slack.body;
  EXPECT_TRUE(json::parse(slack.body)["secret"].is_null());

  auto list = http_.Get(base, Auth());
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(secret), std::string::npos) << "the secret is shown once";
  EXPECT_EQ(list.body.find("XXXXsecretXXXX"), std::string::npos) << "a Slack URL is a secret too";
  json l = json::parse(list.body);
  ASSERT_EQ(l["webhooks"].size(), 2u);
  EXPECT_EQ(l["webhooks"][0]["url"], "http://127.0.0.1:9/hooks");
  EXPECT_EQ(l["webhooks"][1]["kind"], "slack");
  EXPECT_TRUE(l["webhooks"][0]["failing_since"].is_null());

  const std::string id = std::to_string(c["webhook"]["id"].get<int64_t>());
  EXPECT_EQ(http_.Delete(base + "/" + id, Auth()).status, 204);
  EXPECT_EQ(http_.Delete(base + "/" + id, Auth()).status, 404);
  EXPECT_EQ(json::parse(http_.Get(base, Auth()).body)["webhooks"].size(), 1u);
}

TEST_P(WebhookRoutesTest, BadRequestsNameTheField) {
  const std::string base = Base(*node_);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"[]", "body"},
      {R"({"events": ["detractor.created"]})", "url"},
      {R"({"url": 5, "events": ["detractor.created"]})", "url"},
      {R"({"url": "ftp://127.0.0.1/x", "events": ["detractor.created"]})", "url"},
      {R"({"url": "http://127.0.0.1:9/x"})", "events"},
      {R"({"url": "http://127.0.0.1:9/x", "events": []})", "events"},
      {R"({"url": "http://127.0.0.1:9/x", "events": ["order.paid"]})", "events[0]"},
      {R"({"url": "http://127.0.0.1:9/x", "events": [7]})", "events[0]"},
      {R"({"url": "http://127.0.0.1:9/x", "events": ["detractor.created"], "kind": "teams"})", "kind"},
  };
  for (const auto& [body, field] : bad) {
    auto r = http_.Post(base, body, Auth());
    EXPECT_EQ(r.status, 400) << body << " " << r.body;
    EXPECT_EQ(FieldOf(r), field) << body;
  }
  EXPECT_EQ(http_.Get(base).status, 401);
}

TEST_P(WebhookRoutesTest, AServerThatDoesNotAllowPrivateAddressesRefusesThem) {
  EXPECT_FALSE(Config{}.webhooks_allow_private) << "the default refuses";
  node_.reset();
  auto strict = Start(false);
  ASSERT_NE(strict, nullptr);
  for (const char* url : {"http://127.0.0.1:9/x", "http://localhost/x", "http://10.0.0.8/x", "http://[::1]/x",
                          "http://169.254.169.254/latest/meta-data"}) {
    auto r = http_.Post(Base(*strict), json{{"url", url}, {"events", {"detractor.created"}}}.dump(), Auth());
    EXPECT_EQ(r.status, 400) << url << " " << r.body;
    EXPECT_EQ(FieldOf(r), "url") << url;
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, WebhookRoutesTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::main
