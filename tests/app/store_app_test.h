#pragma once
// Shared by the app tests: SampleOrder, and a fixture for App use cases on every store (a fresh
// database of the parameter's kind, "sqlite" or "postgres", skipped when that kind is not
// available; a store on it; an App whose clock is a FakeClock).
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "app/app.h"
#include "support/test_db.h"

namespace vouch::app {

// An order of one trail shoe (59.90 EUR) by `customer` (<customer>@example.com, Anna).
inline OrderInput SampleOrder(const std::string& id, const std::string& customer, Instant at) {
  OrderInput o;
  o.external_id = id;
  o.created_at = at;
  o.currency = "EUR";
  o.total_minor = 5990;
  o.customer.external_id = customer;
  o.customer.email = customer + "@example.com";
  o.customer.first_name = "Anna";
  o.items.push_back(store::LineItem{"p-1", "Trail shoe", "shoes", 1, 5990});
  return o;
}

class StoreAppTest : public ::testing::TestWithParam<std::string> {
 protected:
  explicit StoreAppTest(Instant now, AppConfig config = {}) : clock_(now), config_(std::move(config)) {}

  void SetUp() override {
    if (!test::TestDb::Available(GetParam())) GTEST_SKIP() << test::TestDb::kSkip;
    db_ = std::make_unique<test::TestDb>(GetParam());
    auto s = store::OpenStore(db_->url());
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
    app_ = std::make_unique<App>(*store_, clock_, config_, "test-secret");
  }

  std::unique_ptr<test::TestDb> db_;
  FakeClock clock_;
  AppConfig config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<App> app_;
};

}  // namespace vouch::app
