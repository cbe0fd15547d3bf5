// The NPS report's JSON is written by hand (no DOM): check its shape and number formatting.
#include "api/json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace vouch::api {
namespace {

core::NpsEstimate Estimate(double nps, double low, double high, double margin, int64_t n) {
  core::NpsEstimate e;
  e.n = n;
  e.promoters = n / 2;
  e.passives = n / 4;
  e.detractors = n - n / 2 - n / 4;
  e.nps = nps;
  e.ci_low = low;
  e.ci_high = high;
  e.margin = margin;
  return e;
}

TEST(NpsJsonTest, IsValidJsonWithOneDecimalRoundedHalfAwayFromZero) {
  app::NpsReport r;
  r.from = FromUnixMillis(0);
  r.to = FromUnixMillis(2 * 86'400'000LL);
  r.interval = app::Interval::kDay;
  r.segment = "sh\"oes";  // escaped, not pasted
  r.overall = Estimate(12.35, -0.04, 100.0, 7.25, 8);
  r.significance = true;
  r.buckets.push_back({FromUnixMillis(0), FromUnixMillis(86'400'000),
                       Estimate(-12.35, -100.0, -0.05, 0.96, 5), std::nullopt});
  core::NpsDifference change;
  change.difference = -20.04;
  change.ci_low = -41.38655;
  change.ci_high = 2.5516;
  change.p_value = 0.083216;
  r.buckets.push_back(
      {FromUnixMillis(86'400'000), FromUnixMillis(2 * 86'400'000LL), core::NpsEstimate{}, change});
  const std::string text = ToJson(r);
  const auto j = nlohmann::json::parse(text);  // throws (fails the test) on invalid JSON

  EXPECT_EQ(j["from"], "1970-01-01T00:00:00Z");
  EXPECT_EQ(j["to"], "1970-01-03T00:00:00Z");
  EXPECT_EQ(j["interval"], "day");
  EXPECT_EQ(j["segment"], "sh\"oes");
  EXPECT_EQ(j["confidence"], 0.95);
  EXPECT_EQ(j["overall"]["n"], 8);
  EXPECT_EQ(j["overall"]["promoters"], 4);
  EXPECT_EQ(j["overall"]["passives"], 2);
  EXPECT_EQ(j["overall"]["detractors"], 2);
  ASSERT_EQ(j["buckets"].size(), 2u);
  EXPECT_EQ(j["buckets"][1]["start"], "1970-01-02T00:00:00Z");
  EXPECT_EQ(j["buckets"][1]["end"], "1970-01-03T00:00:00Z");
  EXPECT_EQ(j["buckets"][1]["n"], 0);

  // The literal digits: one decimal, halves away from zero, no "-0.0".
  EXPECT_NE(text.find(R"("overall":{"ci_high":100.0,"ci_low":0.0,)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("margin":7.3,"n":8,"nps":12.4,)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"({"ci_high":-0.1,"ci_low":-100.0,"detractors":2,"margin":1.0,"n":5,"nps":-12.4,)"),
            std::string::npos)
      << text;

  // A bucket's comparison with the one before: p to four decimals.
  EXPECT_TRUE(j["buckets"][0]["vs_previous"].is_null());
  EXPECT_NE(text.find(R"("vs_previous":{"ci_high":2.6,"ci_low":-41.4,"difference":-20.0,"p_value":0.0832,)"
                      R"("significant":false})"),
            std::string::npos)
      << text;
  EXPECT_TRUE(j["vs_rest"].is_null());
  EXPECT_EQ(j["segments"], nlohmann::json::array());

  r.segment.reset();
  EXPECT_TRUE(nlohmann::json::parse(ToJson(r))["segment"].is_null());
  r.significance = false;  // not asked for: the report as it was, no marks
  const auto plain = nlohmann::json::parse(ToJson(r));
  EXPECT_FALSE(plain.contains("segments"));
  EXPECT_FALSE(plain.contains("vs_rest"));
  EXPECT_FALSE(plain["buckets"][1].contains("vs_previous"));
}

}  // namespace
}  // namespace vouch::api
