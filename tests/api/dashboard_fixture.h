#pragma once
// A fixture for the dashboard's HTTP tests: a real server over loopback (Api on a thread pool,
// http::Server) in front of an App on a fresh database of the parameter's kind ("sqlite",
// "postgres"), whose clock is a FakeClock (sessions expire without sleeping) and whose password
// hashes are cheap. Helpers sign in and send the session cookie and CSRF token.
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "api/handlers.h"
#include "app/app.h"
#include "base/thread_pool.h"
#include "http/server.h"
#include "support/http_client.h"
#include "support/test_db.h"

namespace vouch::api {

// What a browser keeps of a sign-in: the cookie's token and the CSRF token.
struct Browser {
  std::string token, csrf;
  test::HttpClient::Headers Cookie() const { return {{"Cookie", "vouch_session=" + token}}; }
  // Cookie, CSRF token and JSON, for a state-changing request.
  test::HttpClient::Headers Unsafe() const {
    return {{"Cookie", "other=1; vouch_session=" + token},
            {"X-CSRF-Token", csrf},
            {"Content-Type", "application/json"}};
  }
};

class DashboardTest : public ::testing::TestWithParam<std::string> {
 protected:
  static constexpr const char* kBrowser = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";

  // The fixture's shop as the store holds it now.
  store::Shop Shop() {
    auto s =
        store_->Read<std::optional<store::Shop>>([&](store::ReadTx& tx) { return tx.shops().Get(shop_); });
    EXPECT_TRUE(s.ok() && s->has_value());
    return s.ok() && s->has_value() ? **s : store::Shop{};
  }

  static inline const Instant kStart = FromUnixMillis(1'795'600'000'000);

  DashboardTest() : clock_(kStart) {}

  void SetUp() override {
    if (!test::TestDb::Available(GetParam())) GTEST_SKIP() << test::TestDb::kSkip;
    db_ = std::make_unique<test::TestDb>(GetParam());
    auto s = store::OpenStore(db_->url());
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
    Start("https://vouch.test");
    auto shop = app_->shops().Create("Trail Shop", "https://trail.example");
    ASSERT_TRUE(shop.ok());
    shop_ = shop->shop.id;
    key_ = shop->api_key;
    auto admin = app_->users().Create(shop_, "ann@example.com", store::Role::kAdmin, "correct horse");
    ASSERT_TRUE(admin.ok());
    admin_id_ = admin->user.id;
    auto viewer = app_->users().Create(shop_, "vic@example.com", store::Role::kViewer, "viewer horse");
    ASSERT_TRUE(viewer.ok());
    viewer_id_ = viewer->user.id;
  }
  void TearDown() override { Stop(); }

  // (Re)starts the server with this public URL, on the same database.
  void Start(const std::string& public_url) {
    Stop();
    app::AppConfig ac;
    ac.public_url = public_url;
    ac.password_cost = kCheapPasswordCost;
    app_ = std::make_unique<app::App>(*store_, clock_, ac, "test-secret");
    pool_ = std::make_unique<ThreadPool>(2);
    api_ = std::make_unique<Api>(*app_, *pool_, Api::Options{.public_per_second = 0});
    http::ServerOptions so;
    so.host = "127.0.0.1";
    so.port = 0;
    so.threads = 1;
    server_ = std::make_unique<http::Server>(so, api_->Handler());
    ASSERT_TRUE(server_->Start().ok());
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }
  void Stop() {
    if (server_) server_->Stop();
    server_.reset();
    pool_.reset();
    api_.reset();
    app_.reset();
  }

  test::HttpResponse SignInRequest(const std::string& email, const std::string& password) {
    nlohmann::json body{{"email", email}, {"password", password}};
    return http_.Post(base_ + "/api/v1/session", body.dump(), {{"Content-Type", "application/json"}});
  }
  // Signs in and returns the browser's state; fails the test when sign-in fails.
  Browser SignIn(const std::string& email = "ann@example.com",
                 const std::string& password = "correct horse") {
    auto r = SignInRequest(email, password);
    EXPECT_EQ(r.status, 200) << r.body;
    Browser b;
    const std::string cookie = r.Header("set-cookie");
    const std::string prefix = "vouch_session=";
    if (cookie.rfind(prefix, 0) == 0)
      b.token = cookie.substr(prefix.size(), cookie.find(';') - prefix.size());
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_object()) b.csrf = j.value("csrf_token", "");
    return b;
  }
  // Returns once the writes queued so far (a key's last_used_at, written asynchronously) have
  // committed: the writer runs them in order, so a blocking write behind them waits for them.
  void Flush() {
    ASSERT_TRUE(store_->Write<Ok>([](store::Tx&) -> Status { return OkStatus(); }).ok());
  }
  test::HttpClient::Headers Key() const {
    return {{"Authorization", "Bearer " + key_}, {"Content-Type", "application/json"}};
  }

  // Asserts an RFC 9457 problem with this status (and `field`, when given).
  static void ExpectProblem(const test::HttpResponse& r, long status, const std::string& field = "") {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    ASSERT_TRUE(j.is_object()) << r.body;
    EXPECT_EQ(j.value("status", 0), status);
    if (!field.empty()) {
      EXPECT_EQ(j.value("field", ""), field) << r.body;
    }
  }

  std::unique_ptr<test::TestDb> db_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<app::App> app_;
  std::unique_ptr<ThreadPool> pool_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<http::Server> server_;
  std::string base_, key_;
  store::Id shop_ = 0, admin_id_ = 0, viewer_id_ = 0;
  test::HttpClient http_;
};

}  // namespace vouch::api
