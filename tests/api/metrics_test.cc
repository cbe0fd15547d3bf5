// GET /metrics over real loopback HTTP, on every store: behind its token, the requests counted by
// route pattern (never by raw path) and status with latency histograms, the writer's group
// commits, jobs by kind and status, messages by channel and the store's kind.
#include <nlohmann/json.hpp>

#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "main/commands.h"
#include "support/http_client.h"
#include "support/node_fixture.h"
#include "support/test_db.h"

namespace vouch::main {
namespace {

using test::HttpClient;

class MetricsTest : public test::NodeTest {
 protected:
  void Configure(Config& c) override {
    c.public_rate = 0;
    c.metrics_token = "metrics-secret";
  }

  std::string Metrics() {
    auto r = http_.Get(base_ + "/metrics", {{"Authorization", "Bearer metrics-secret"}});
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    return r.body;
  }

  // The value of the series `series` (its name and labels exactly as written), or -1.
  static double Value(const std::string& text, const std::string& series) {
    const std::string prefix = series + " ";
    for (size_t at = 0; at < text.size();) {
      const size_t end = text.find('\n', at);
      const std::string line = text.substr(at, end - at);
      if (line.rfind(prefix, 0) == 0) return std::stod(line.substr(prefix.size()));
      if (end == std::string::npos) break;
      at = end + 1;
    }
    return -1;
  }
};

TEST_P(MetricsTest, OnlyWithItsToken) {
  auto none = http_.Get(base_ + "/metrics");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.Header("www-authenticate"), "Bearer");
  EXPECT_EQ(http_.Get(base_ + "/metrics", {{"Authorization", "Bearer wrong"}}).status, 401);
  EXPECT_EQ(http_.Get(base_ + "/metrics", {{"Authorization", "Bearer " + key_}}).status, 401)
      << "a shop's API key is not the metrics token";
  Metrics();
}

TEST_P(MetricsTest, CountsRequestsByRoutePatternJobsMessagesAndTheStore) {
  const std::string order =
      R"({"id": "1001", "created_at": ")" +
      FormatRfc3339(std::chrono::floor<std::chrono::seconds>(SystemClock().Now())) +
      R"(", "currency": "EUR", "total_price": "59.90", "customer": {"id": "c-1", "email": "anna@example.com"},
        "line_items": [{"product_id": "p-1", "title": "Trail shoe", "quantity": 1, "price": "59.90"}]})";
  auto posted = http_.Post(base_ + "/api/v1/orders", order,
                           {{"Authorization", "Bearer " + key_}, {"Content-Type", "application/json"}});
  ASSERT_EQ(posted.status, 201) << posted.body;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(http_.Get(base_ + "/r/NOBODY-" + std::to_string(i)).status, 404);
  EXPECT_EQ(http_
                .Get(base_ + "/api/v1/customers/email%3Aanna%40example.com/export",
                     {{"Authorization", "Bearer " + key_}})
                .status,
            404);
  EXPECT_EQ(http_.Get(base_ + "/healthz").status, 200);

  const std::string text = Metrics();
  EXPECT_EQ(Value(text, R"(vouch_http_requests_total{route="/api/v1/orders",status="201"})"), 1) << text;
  EXPECT_EQ(Value(text, R"(vouch_http_requests_total{route="/r/{code}",status="404"})"), 3);
  EXPECT_EQ(Value(text, R"(vouch_http_requests_total{route="/healthz",status="200"})"), 1);
  EXPECT_EQ(text.find("NOBODY"), std::string::npos) << "no raw path reaches the metrics";
  EXPECT_EQ(text.find("anna"), std::string::npos);
  EXPECT_EQ(Value(text, R"(vouch_http_request_seconds_count{route="/r/{code}"})"), 3);
  EXPECT_EQ(Value(text, R"(vouch_http_request_seconds_bucket{route="/r/{code}",le="+Inf"})"), 3);
  EXPECT_GT(Value(text, R"(vouch_http_request_seconds_bucket{route="/r/{code}",le="10"})"), 0);
  EXPECT_EQ(Value(text, R"(vouch_jobs{kind="survey",status="pending"})"), 1);
  EXPECT_GE(Value(text, "vouch_store_group_commit_size_count"), 2) << "the shop, the order";
  EXPECT_GE(Value(text, R"(vouch_store_group_commit_size_bucket{le="+Inf"})"),
            Value(text, "vouch_store_group_commit_size_count"));
  EXPECT_GE(Value(text, "vouch_store_writer_queue_depth"), 0);
  EXPECT_GE(Value(text, "vouch_handler_queue_depth"), 0);
  EXPECT_EQ(Value(text, R"(vouch_messages_total{channel="email",outcome="sent"})"), 0);
  EXPECT_NE(text.find("vouch_store_info{kind=\"" + GetParam() + "\""), std::string::npos) << text;
  // The scrape itself is counted on the next one.
  EXPECT_EQ(Value(Metrics(), R"(vouch_http_requests_total{route="/metrics",status="200"})"), 1);
  // Every line is a comment or "name{labels} value".
  const std::regex line(R"(^(# (HELP|TYPE) .*|[a-z_]+(\{([a-z_]+="[^"]*",?)+\})? [0-9.e+-]+)$)");
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = text.find('\n', at);
    const std::string l = text.substr(at, end - at);
    EXPECT_TRUE(std::regex_match(l, line)) << l;
    at = end + 1;
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, MetricsTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::main
