#pragma once
// A fixture for App use cases on every store: a fresh database of the parameter's kind ("sqlite",
// "postgres"; skipped when that kind is not available), a store on it, and an App whose clock is
// a FakeClock.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "app/app.h"
#include "support/test_db.h"

namespace vouch::app {

class StoreAppTest : public ::testing::TestWithParam<std::string> {
 protected:
  explicit StoreAppTest(Instant now) : clock_(now) {}

  void SetUp() override {
    if (!test::TestDb::Available(GetParam())) GTEST_SKIP() << test::TestDb::kSkip;
    db_ = std::make_unique<test::TestDb>(GetParam());
    auto s = store::OpenStore(db_->url());
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
    app_ = std::make_unique<App>(*store_, clock_, AppConfig{}, "test-secret");
  }

  std::unique_ptr<test::TestDb> db_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<App> app_;
};

}  // namespace vouch::app
