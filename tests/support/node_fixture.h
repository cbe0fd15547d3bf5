#pragma once
// NodeTest: a whole node (main::Node) on a fresh database of the parameter's store kind ("sqlite",
// "postgres"), serving real HTTP on a loopback port and mailing a test SMTP sink, with one shop —
// for suites that drive the routes end to end. The PostgreSQL cases skip without VOUCH_TEST_PG.
//
// A suite names its shop through the constructor and changes the node's configuration by
// overriding Configure. A suite's own SetUp calls NodeTest::SetUp first and returns if it skipped
// or failed:
//   void SetUp() override {
//     NodeTest::SetUp();
//     if (IsSkipped() || HasFatalFailure()) return;
//     …
//   }
#include <memory>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "main/commands.h"
#include "store/records/shops.h"
#include "support/http_client.h"
#include "support/smtp_sink.h"
#include "support/test_db.h"

namespace vouch::test {

class NodeTest : public ::testing::TestWithParam<std::string> {
 protected:
  explicit NodeTest(std::string shop_name = "Trail Shop", std::string shop_url = "https://trail.example")
      : shop_name_(std::move(shop_name)), shop_url_(std::move(shop_url)) {}

  // The node's configuration before it starts: listening on 127.0.0.1 (any port), mailing sink_,
  // public URL https://vouch.test, two HTTP threads and one worker unless a suite changes them.
  virtual void Configure(main::Config& /*c*/) {}

  void SetUp() override {
    if (!TestDb::Available(GetParam())) GTEST_SKIP() << TestDb::kSkip;
    db_ = std::make_unique<TestDb>(GetParam());
    main::Config c;
    c.listen = "127.0.0.1:0";
    c.db = db_->url();
    c.smtp_url = sink_.url();
    c.public_url = "https://vouch.test";
    c.http_threads = 2;
    c.workers = 1;
    Configure(c);
    auto node = main::Node::Start(c);
    ASSERT_TRUE(node.ok()) << node.error().message;
    node_ = std::move(*node);
    base_ = "http://127.0.0.1:" + std::to_string(node_->port());
    auto shop = node_->app().shops().Create(shop_name_, shop_url_);
    ASSERT_TRUE(shop.ok()) << shop.error().message;
    key_ = shop->api_key;
    shop_ = shop->shop;
  }
  void TearDown() override { node_.reset(); }

  // A bearer key (the shop's own unless another is given) and a JSON body.
  HttpClient::Headers Auth(const std::string& key = "") const {
    return {{"Authorization", "Bearer " + (key.empty() ? key_ : key)}, {"Content-Type", "application/json"}};
  }

  // The shop's id as a path segment ("/hooks/shopify/{id}").
  std::string ShopId() const { return std::to_string(shop_.id); }

  std::unique_ptr<TestDb> db_;  // outlives the node
  SmtpSink sink_;
  std::unique_ptr<main::Node> node_;
  std::string base_;  // "http://127.0.0.1:PORT"
  HttpClient http_;
  std::string key_;  // the shop's API key
  store::Shop shop_;

 private:
  std::string shop_name_;
  std::string shop_url_;
};

}  // namespace vouch::test
