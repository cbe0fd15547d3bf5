// The public pages' own pool, over real loopback HTTP: /r, /s and /u (and paths no route takes)
// run on it, the shop's API on the handler pool, so a flood of public requests that fills its
// queue is answered 503 while the API keeps answering; /healthz is answered on the I/O thread.
#include <future>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "api/handlers.h"
#include "app/app.h"
#include "base/thread_pool.h"
#include "http/server.h"
#include "support/http_client.h"
#include "support/test_db.h"

namespace vouch::api {
namespace {

class PublicPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<test::TestDb>("sqlite");
    auto s = store::OpenStore(db_->url());
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
    app::AppConfig ac;
    ac.public_url = "https://vouch.test";
    app_ = std::make_unique<app::App>(*store_, clock_, ac, "test-secret");
    auto shop = app_->shops().Create("Trail Shop", "https://trail.example");
    ASSERT_TRUE(shop.ok());
    key_ = shop->api_key;
    pool_ = std::make_unique<ThreadPool>(1, 1);
    public_pool_ = std::make_unique<ThreadPool>(1, 1, 5);
    api_ = std::make_unique<Api>(*app_, *pool_, Api::Options{.public_per_second = 0}, public_pool_.get());
    http::ServerOptions so;
    so.host = "127.0.0.1";
    so.port = 0;
    so.threads = 1;
    server_ = std::make_unique<http::Server>(so, api_->Handler());
    ASSERT_TRUE(server_->Start().ok());
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }
  void TearDown() override {
    release_.set_value();
    if (server_) server_->Stop();
    public_pool_.reset();
    pool_.reset();
  }

  // Takes the pool's one thread and fills its queue of one.
  void Block(ThreadPool& pool) {
    std::promise<void> started;
    pool.Post([&started, released = released_] {
      started.set_value();
      released.wait();
    });
    started.get_future().wait();
    pool.Post([released = released_] { released.wait(); });
  }
  void BlockThePublicPool() { Block(*public_pool_); }

  SystemClock clock_;
  std::unique_ptr<test::TestDb> db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<app::App> app_;
  std::unique_ptr<ThreadPool> pool_;
  std::unique_ptr<ThreadPool> public_pool_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<http::Server> server_;
  std::promise<void> release_;
  std::shared_future<void> released_ = release_.get_future().share();
  std::string base_, key_;
  test::HttpClient http_;
};

TEST_F(PublicPoolTest, AFullPublicPoolRefusesPublicPagesWhileTheApiAnswers) {
  EXPECT_EQ(http_.Get(base_ + "/r/NOBODY-1").status, 404) << "served before the pool is full";
  BlockThePublicPool();
  for (const char* path : {"/r/NOBODY-2", "/u/not-a-token", "/no/such/route"}) {
    auto r = http_.Get(base_ + path, {{"Accept-Language", "de-DE"}});
    EXPECT_EQ(r.status, 503) << path << ": " << r.body;
    EXPECT_EQ(r.Header("retry-after"), "1") << path;
    // A customer's page gets a page in their language; a path no route takes, a problem.
    EXPECT_EQ(r.Header("content-type"),
              path[1] == 'n' ? "application/problem+json" : "text/html; charset=utf-8")
        << path;
    if (path[1] != 'n') {
      EXPECT_NE(r.body.find("lang=\"de\""), std::string::npos) << r.body;
    }
  }
  auto settings = http_.Get(base_ + "/api/v1/settings", {{"Authorization", "Bearer " + key_}});
  EXPECT_EQ(settings.status, 200) << "the API runs on its own pool: " << settings.body;
  EXPECT_EQ(http_.Get(base_ + "/healthz").status, 200);
}

// /healthz is answered on the I/O thread: with both pools full it still says the node is alive
// (and costs a new-connection probe no hop), while the API is refused.
TEST_F(PublicPoolTest, HealthzAnswersOnTheIoThreadWithBothPoolsFull) {
  Block(*pool_);
  BlockThePublicPool();
  auto health = http_.Get(base_ + "/healthz");
  EXPECT_EQ(health.status, 200) << health.body;
  EXPECT_NE(health.body.find(R"("status":"ok")"), std::string::npos) << health.body;
  auto settings = http_.Get(base_ + "/api/v1/settings", {{"Authorization", "Bearer " + key_}});
  EXPECT_EQ(settings.status, 503) << "the API waits for its pool: " << settings.body;
}

}  // namespace
}  // namespace vouch::api
