// Dashboard sign-in over real loopback HTTP (routes_session.cc, Authed in params.h): the
// cookie's flags, sign-out, expiry by inactivity with the FakeClock, CSRF and the viewer role on
// state-changing requests, API keys still working without CSRF, throttling with 429, one
// shop's session seeing only that shop, login CSRF (Origin, Sec-Fetch-Site) and a one-time
// password that must be changed before anything else.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/dashboard_fixture.h"

namespace vouch::api {
namespace {

using nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;

using SessionTest = DashboardTest;

TEST_P(SessionTest, SignInSetsAHardenedCookieAndSignOutClearsIt) {
  auto r = SignInRequest("Ann@Example.com", "correct horse");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("cache-control"), "no-store");
  const std::string cookie = r.Header("set-cookie");
  EXPECT_EQ(cookie.rfind("vouch_session=", 0), 0u) << cookie;
  for (const char* flag : {"; HttpOnly", "; SameSite=Lax", "; Path=/", "; Secure", "; Max-Age=2592000"}) {
    EXPECT_NE(cookie.find(flag), std::string::npos) << flag << " in " << cookie;
  }
  json j = json::parse(r.body);
  EXPECT_EQ(j["user"]["id"], admin_id_);
  EXPECT_EQ(j["user"]["email"], "ann@example.com");
  EXPECT_EQ(j["user"]["role"], "admin");
  EXPECT_EQ(j["user"]["shop_id"], shop_);
  EXPECT_EQ(j["user"]["shop_name"], "Trail Shop");
  const std::string csrf = j["csrf_token"];
  EXPECT_EQ(csrf.size(), 43u);
  const std::string token = cookie.substr(14, cookie.find(';') - 14);
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(r.body.find(token), std::string::npos);  // the token is only in the cookie

  Browser b{token, csrf};
  auto me = http_.Get(base_ + "/api/v1/session", b.Cookie());
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json::parse(me.body), j);
  EXPECT_EQ(http_.Get(base_ + "/api/v1/settings", b.Cookie()).status, 200);

  // Sign-out needs the CSRF token too, then clears the cookie and ends the session.
  ExpectProblem(http_.Delete(base_ + "/api/v1/session", b.Cookie()), 403, "X-CSRF-Token");
  auto out = http_.Delete(base_ + "/api/v1/session", b.Unsafe());
  EXPECT_EQ(out.status, 204) << out.body;
  const std::string cleared = out.Header("set-cookie");
  EXPECT_EQ(cleared.rfind("vouch_session=;", 0), 0u) << cleared;
  EXPECT_NE(cleared.find("Max-Age=0"), std::string::npos);
  ExpectProblem(http_.Get(base_ + "/api/v1/session", b.Cookie()), 401);
  ExpectProblem(http_.Get(base_ + "/api/v1/settings", b.Cookie()), 401);
  EXPECT_EQ(http_.Delete(base_ + "/api/v1/session", b.Unsafe()).status, 204);  // again: still 204
  ExpectProblem(http_.Get(base_ + "/api/v1/session"), 401);
}

TEST_P(SessionTest, TheCookieIsSecureOnlyWithAnHttpsPublicUrl) {
  Start("http://127.0.0.1:8080");
  auto r = SignInRequest("ann@example.com", "correct horse");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string cookie = r.Header("set-cookie");
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("; SameSite=Lax"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << cookie;
}

TEST_P(SessionTest, WrongCredentialsAndBadBodiesAreProblems) {
  ExpectProblem(SignInRequest("ann@example.com", "wrong horse"), 401);
  ExpectProblem(SignInRequest("nobody@example.com", "correct horse"), 401);
  ExpectProblem(http_.Post(base_ + "/api/v1/session", "not json"), 400, "body");
  ExpectProblem(http_.Post(base_ + "/api/v1/session", R"({"email":"ann@example.com"})"), 400, "password");
  ExpectProblem(http_.Post(base_ + "/api/v1/session", R"({"email":"a@b.c","password":"x","shop_id":"1"})"),
                400, "shop_id");
  ExpectProblem(http_.Get(base_ + "/api/v1/settings", {{"Cookie", "vouch_session=forged"}}), 401);
}

TEST_P(SessionTest, ASessionEndsAfterTwelveIdleHours) {
  Browser b = SignIn();
  clock_.Advance(hours(11));
  EXPECT_EQ(http_.Get(base_ + "/api/v1/settings", b.Cookie()).status, 200);  // use keeps it alive
  clock_.Advance(hours(11));
  EXPECT_EQ(http_.Get(base_ + "/api/v1/settings", b.Cookie()).status, 200);
  clock_.Advance(hours(12));
  ExpectProblem(http_.Get(base_ + "/api/v1/settings", b.Cookie()), 401);
  ExpectProblem(http_.Get(base_ + "/api/v1/session", b.Cookie()), 401);
}

TEST_P(SessionTest, StateChangesNeedTheSessionsCsrfToken) {
  Browser b = SignIn();
  const std::string patch = R"({"survey_delay_seconds": 60})";
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings", patch, b.Cookie()), 403, "X-CSRF-Token");
  auto wrong = b.Unsafe();
  wrong[1].second = SignIn().csrf;  // another session's token
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings", patch, wrong), 403, "X-CSRF-Token");
  wrong[1].second = "";
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings", patch, wrong), 403, "X-CSRF-Token");
  auto get = http_.Get(base_ + "/api/v1/settings", b.Cookie());
  EXPECT_EQ(json::parse(get.body)["survey_delay_seconds"], 3 * 86400);  // nothing changed

  auto ok = http_.Patch(base_ + "/api/v1/settings", patch, b.Unsafe());
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(json::parse(ok.body)["survey_delay_seconds"], 60);
}

TEST_P(SessionTest, AViewerMayReadButNotChange) {
  Browser v = SignIn("vic@example.com", "viewer horse");
  auto me = http_.Get(base_ + "/api/v1/session", v.Cookie());
  EXPECT_EQ(json::parse(me.body)["user"]["role"], "viewer");
  EXPECT_EQ(http_.Get(base_ + "/api/v1/settings", v.Cookie()).status, 200);
  EXPECT_EQ(http_.Head(base_ + "/api/v1/settings", v.Cookie()).status, 200);
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings", R"({"survey_delay_seconds": 60})", v.Unsafe()), 403);
  ExpectProblem(http_.Put(base_ + "/api/v1/templates/en/survey_subject", "Hi", v.Unsafe()), 403);
  EXPECT_EQ(json::parse(http_.Get(base_ + "/api/v1/settings", v.Cookie()).body)["survey_delay_seconds"],
            3 * 86400);
  // A viewer may still sign themself out.
  EXPECT_EQ(http_.Delete(base_ + "/api/v1/session", v.Unsafe()).status, 204);
}

TEST_P(SessionTest, ApiKeysWorkAsBeforeWithoutCsrf) {
  auto r = http_.Patch(base_ + "/api/v1/settings", R"({"survey_delay_seconds": 120})", Key());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["survey_delay_seconds"], 120);
  // A key wins over a cookie in the same request, and a wrong key is not rescued by one.
  Browser v = SignIn("vic@example.com", "viewer horse");
  auto both = Key();
  both.emplace_back("Cookie", "vouch_session=" + v.token);
  EXPECT_EQ(http_.Patch(base_ + "/api/v1/settings", R"({"survey_delay_seconds": 180})", both).status, 200);
  ExpectProblem(http_.Get(base_ + "/api/v1/settings",
                          {{"Authorization", "Bearer vk_wrong"}, {"Cookie", "vouch_session=" + v.token}}),
                401);
  ExpectProblem(http_.Get(base_ + "/api/v1/settings"), 401, "Authorization");
}

TEST_P(SessionTest, RepeatedFailuresAreAnsweredWith429AndRetryAfter) {
  for (int i = 0; i < 5; ++i) ExpectProblem(SignInRequest("ann@example.com", "wrong"), 401);
  auto slowed = SignInRequest("ann@example.com", "correct horse");
  ExpectProblem(slowed, 429);
  EXPECT_EQ(slowed.Header("retry-after"), "1");
  EXPECT_TRUE(slowed.Header("set-cookie").empty());
  clock_.Advance(std::chrono::seconds(1));
  for (int i = 0; i < 5; ++i) {
    ExpectProblem(SignInRequest("ann@example.com", "wrong"), 401);
    clock_.Advance(minutes(1));
  }
  auto locked = SignInRequest("ann@example.com", "correct horse");
  ExpectProblem(locked, 429);
  EXPECT_EQ(locked.Header("retry-after"), "840");  // 15 minutes after the tenth failure
  clock_.Advance(minutes(14));
  EXPECT_EQ(SignInRequest("ann@example.com", "correct horse").status, 200);
}

TEST_P(SessionTest, ASessionSeesOnlyItsOwnShop) {
  auto other = app_->shops().Create("Other Shop", "https://other.example");
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(
      app_->users().Create(other->shop.id, "olga@example.com", store::Role::kAdmin, "olga horse").ok());
  Browser o = SignIn("olga@example.com", "olga horse");
  auto s = http_.Get(base_ + "/api/v1/settings", o.Cookie());
  ASSERT_EQ(s.status, 200);
  EXPECT_EQ(json::parse(s.body)["name"], "Other Shop");
  ASSERT_EQ(http_.Patch(base_ + "/api/v1/settings", R"({"name": "Olga's"})", o.Unsafe()).status, 200);
  EXPECT_EQ(json::parse(http_.Get(base_ + "/api/v1/settings", Key()).body)["name"], "Trail Shop");
}

TEST_P(SessionTest, SignInRefusesCrossSiteRequests) {
  const std::string body = R"({"email":"ann@example.com","password":"correct horse"})";
  const std::string url = base_ + "/api/v1/session";
  auto post = [&](test::HttpClient::Headers h) {
    h.emplace_back("Content-Type", "application/json");
    return http_.Post(url, body, h);
  };
  // Login CSRF: another site's page must not sign this browser in to an account of its choosing.
  for (const test::HttpClient::Headers& h : std::vector<test::HttpClient::Headers>{
           {{"Origin", "https://evil.test"}},
           {{"Origin", "null"}},
           {{"Origin", "https://vouch.test.evil.test"}},
           {{"Sec-Fetch-Site", "cross-site"}},
           {{"Sec-Fetch-Site", "same-site"}},
           {{"Origin", "https://vouch.test"}, {"Sec-Fetch-Site", "cross-site"}}}) {
    auto r = post(h);
    ExpectProblem(r, 403, "Origin");
    EXPECT_EQ(r.Header("set-cookie"), "") << h.front().second;
  }
  // The configured public URL's origin, this server's own Host, or no browser headers at all.
  const std::string host = base_.substr(std::string("http://").size());
  EXPECT_EQ(post({{"Origin", "https://vouch.test"}, {"Sec-Fetch-Site", "same-origin"}}).status, 200);
  EXPECT_EQ(post({{"Origin", "http://" + host}}).status, 200);
  EXPECT_EQ(post({{"Sec-Fetch-Site", "none"}}).status, 200);
  EXPECT_EQ(post({}).status, 200);
}

TEST_P(SessionTest, AOneTimePasswordMustBeChangedBeforeAnythingElse) {
  auto created = app_->users().Create(shop_, "otto@example.com", store::Role::kAdmin);
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(created->password.has_value());
  EXPECT_TRUE(created->user.must_change_password);
  auto in = SignInRequest("otto@example.com", *created->password);
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_EQ(json::parse(in.body)["user"]["must_change_password"], true);
  Browser b = SignIn("otto@example.com", *created->password);
  // Everything but the password change (and who am I, and sign-out) answers 403 saying why.
  for (const char* path : {"/api/v1/settings", "/api/v1/nps", "/api/v1/users", "/api/v1/responses"}) {
    auto r = http_.Get(base_ + path, b.Cookie());
    ExpectProblem(r, 403, "password");
    EXPECT_NE(json::parse(r.body).value("detail", "").find("one-time password"), std::string::npos) << r.body;
  }
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings", R"({"throttle_days":3})", b.Unsafe()), 403,
                "password");
  EXPECT_EQ(http_.Get(base_ + "/api/v1/session", b.Cookie()).status, 200);
  // An API key is not held back by a user's one-time password.
  EXPECT_EQ(http_.Get(base_ + "/api/v1/settings", Key()).status, 200);
  auto users = json::parse(http_.Get(base_ + "/api/v1/users", Key()).body)["users"];
  for (const auto& u : users) EXPECT_EQ(u["must_change_password"], u["email"] == "otto@example.com") << u;

  const std::string change =
      json{{"current_password", *created->password}, {"new_password", "otto chose this"}}.dump();
  ASSERT_EQ(http_.Post(base_ + "/api/v1/session/password", change, b.Unsafe()).status, 204);
  EXPECT_EQ(http_.Get(base_ + "/api/v1/settings", b.Cookie()).status, 200);
  EXPECT_EQ(
      json::parse(http_.Get(base_ + "/api/v1/session", b.Cookie()).body)["user"]["must_change_password"],
      false);
  auto again = SignInRequest("otto@example.com", "otto chose this");
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(json::parse(again.body)["user"]["must_change_password"], false);
  // A password given at creation (the CLI's --password-stdin) is the user's own.
  auto own = app_->users().Create(shop_, "paula@example.com", store::Role::kViewer, "paula horse");
  ASSERT_TRUE(own.ok());
  EXPECT_FALSE(own->user.must_change_password);
  Browser p = SignIn("paula@example.com", "paula horse");
  EXPECT_EQ(http_.Get(base_ + "/api/v1/settings", p.Cookie()).status, 200);
}

INSTANTIATE_TEST_SUITE_P(Stores, SessionTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::api
