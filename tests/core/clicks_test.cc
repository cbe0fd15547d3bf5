#include "core/clicks.h"

#include <gtest/gtest.h>

#include <string>

namespace vouch::core {
namespace {

const Instant kSent = FromUnixMillis(1'795'169'700'000);  // 2026-11-20T10:15:00Z
const Instant kLater = kSent + std::chrono::hours{2};     // well after the mail was sent

constexpr std::string_view kChrome =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36";
constexpr std::string_view kFirefox =
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";
constexpr std::string_view kSafariIphone =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.2 Mobile/15E148 Safari/604.1";
constexpr std::string_view kChromeAndroid =
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.6099.144 Mobile Safari/537.36";

// A person's GET from Chrome two hours after sending, with no other clicks.
ClickContext PersonClick(int score = 9) {
  ClickContext c;
  c.method = "GET";
  c.user_agent = kChrome;
  c.at = kLater;
  c.sent_at = kSent;
  c.score = score;
  return c;
}

TEST(JudgeClickTest, PersonInABrowserIsCounted) {
  for (std::string_view ua : {kChrome, kFirefox, kSafariIphone, kChromeAndroid}) {
    ClickContext c = PersonClick();
    c.user_agent = ua;
    EXPECT_EQ(JudgeClick(c), ClickVerdict::kCount) << ua;
    EXPECT_FALSE(IsKnownScannerAgent(ua)) << ua;
  }
}

TEST(JudgeClickTest, HeadAndOptionsAreIgnored) {
  for (std::string_view method : {"HEAD", "OPTIONS"}) {
    ClickContext c = PersonClick();
    c.method = method;
    EXPECT_EQ(JudgeClick(c), ClickVerdict::kIgnore) << method;
  }
}

TEST(JudgeClickTest, KnownScannersAreIgnored) {
  for (std::string_view ua : {
           "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
           "python-requests/2.31.0",
           "curl/8.4.0",
           "Go-http-client/1.1",
           "Wget/1.21.4",
           "Java/17.0.9",
           "okhttp/4.12.0",
           "Apache-HttpClient/4.5.14 (Java/17)",
           "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
           "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "HeadlessChrome/120.0.0.0 Safari/537.36",
           "Barracuda Sentinel (EE)",
           "Mozilla/5.0 (compatible; Proofpoint URL Defense)",
           "Mimecast-URL-Protect/1.0",
           "Microsoft SafeLinks",
           "Mozilla/5.0 (compatible; YandexBot/3.0)",
       }) {
    ClickContext c = PersonClick();
    c.user_agent = ua;
    EXPECT_TRUE(IsKnownScannerAgent(ua)) << ua;
    EXPECT_EQ(JudgeClick(c), ClickVerdict::kIgnore) << ua;
  }
}

TEST(IsKnownScannerAgentTest, IgnoresCase) {
  EXPECT_TRUE(IsKnownScannerAgent("CURL/8.0"));
  EXPECT_TRUE(IsKnownScannerAgent("Some-Crawler"));
  EXPECT_FALSE(IsKnownScannerAgent(""));
}

// A phone maker whose name ends in "bot" must not make its owners look like crawlers.
TEST(IsKnownScannerAgentTest, PhonesNamedCubotAreNotScanners) {
  constexpr std::string_view kCubotWebView =
      "Mozilla/5.0 (Linux; Android 11; CUBOT X30 Build/RP1A.200720.011; wv) AppleWebKit/537.36 "
      "(KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36";
  EXPECT_FALSE(IsKnownScannerAgent(kCubotWebView));
}

TEST(JudgeClickTest, EmptyUserAgentIsSuspect) {
  ClickContext c = PersonClick();
  c.user_agent = "";
  EXPECT_EQ(JudgeClick(c), ClickVerdict::kSuspect);
}

TEST(JudgeClickTest, TooSoonAfterSendingIsSuspect) {
  struct Row {
    Millis after_send;
    ClickVerdict expected;
  };
  const Row rows[] = {
      {Millis{-500}, ClickVerdict::kSuspect},  // clocks disagree: earlier than accepted
      {Millis{0}, ClickVerdict::kSuspect},    {Millis{1'999}, ClickVerdict::kSuspect},
      {Millis{2'000}, ClickVerdict::kCount},  {Millis{60'000}, ClickVerdict::kCount},
  };
  for (const Row& row : rows) {
    ClickContext c = PersonClick();
    c.at = kSent + row.after_send;
    EXPECT_EQ(JudgeClick(c), row.expected) << row.after_send.count() << " ms after send";
  }
}

TEST(JudgeClickTest, UnknownSendTimeIsNotTooSoon) {
  ClickContext c = PersonClick();
  c.sent_at = std::nullopt;
  c.at = kSent;
  EXPECT_EQ(JudgeClick(c), ClickVerdict::kCount);
}

TEST(JudgeClickTest, BurstsOfDifferentScoresAreSuspect) {
  struct Row {
    Millis prior_before;  // how long before this click the prior one happened
    int prior_score;
    ClickVerdict expected;
  };
  const Row rows[] = {
      {Millis{300}, 10, ClickVerdict::kSuspect},  // scanner walks every link
      {Millis{9'999}, 0, ClickVerdict::kSuspect},
      {Millis{10'000}, 10, ClickVerdict::kCount},  // the window is open at its end
      {Millis{60'000}, 10, ClickVerdict::kCount},  // a person changing their mind
      {Millis{300}, 9, ClickVerdict::kCount},      // same score twice: a double click
      {Millis{-300}, 10, ClickVerdict::kSuspect},  // prior click recorded "after" this one
      {Millis{-10'000}, 10, ClickVerdict::kCount},
  };
  for (const Row& row : rows) {
    ClickContext c = PersonClick(9);
    c.recent_clicks = {{c.at - row.prior_before, row.prior_score}};
    EXPECT_EQ(JudgeClick(c), row.expected)
        << "prior " << row.prior_before.count() << " ms before on " << row.prior_score;
  }
}

TEST(JudgeClickTest, ScannerIsIgnoredEvenInABurst) {
  ClickContext c = PersonClick(9);
  c.user_agent = "curl/8.4.0";
  c.recent_clicks = {{c.at - Millis{100}, 0}};
  EXPECT_EQ(JudgeClick(c), ClickVerdict::kIgnore);
}

TEST(IsBurstTest, LooksAtEveryPriorClickInAnyOrder) {
  const Instant at = kLater;
  const std::vector<PriorClick> prior = {
      {at - Millis{60'000}, 3}, {at - Millis{200}, 9}, {at - Millis{5'000}, 4}};
  EXPECT_TRUE(IsBurst(prior, at, 9));                    // the 4 five seconds ago
  EXPECT_FALSE(IsBurst(prior, at + Millis{10'000}, 9));  // only the 9 is within 10 s then
  EXPECT_FALSE(IsBurst({}, at, 9));
}

TEST(IsBurstTest, IsSymmetricInTime) {
  const Instant a = kLater;
  for (Millis gap : {Millis{0}, Millis{1}, Millis{9'999}, Millis{10'000}, Millis{30'000}}) {
    const Instant b = a + gap;
    EXPECT_EQ(IsBurst({{a, 3}}, b, 7), IsBurst({{b, 3}}, a, 7)) << gap.count();
    EXPECT_EQ(IsBurst({{a, 3}}, b, 7), gap < kBurstWindow) << gap.count();
  }
}

}  // namespace
}  // namespace vouch::core

namespace vouch::core {
namespace {

TEST(ClickVerdictNames, RoundTripAndRejectUnknown) {
  for (ClickVerdict v :
       {ClickVerdict::kIgnore, ClickVerdict::kCount, ClickVerdict::kSuspect, ClickVerdict::kConfirm}) {
    EXPECT_EQ(ParseClickVerdict(ClickVerdictName(v)), v);
  }
  EXPECT_STREQ(ClickVerdictName(ClickVerdict::kConfirm), "confirm");
  EXPECT_STREQ(ClickVerdictName(ClickVerdict::kIgnore), "ignore");
  EXPECT_EQ(ParseClickVerdict("Count"), std::nullopt);
  EXPECT_EQ(ParseClickVerdict(""), std::nullopt);
}

}  // namespace
}  // namespace vouch::core
