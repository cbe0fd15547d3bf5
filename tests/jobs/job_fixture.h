#pragma once
// Shared by the jobs tests: an App on a fresh store of the parameter's kind ("sqlite", or
// "postgres" when VOUCH_TEST_PG is set, else skipped), a fake clock, one shop, and a Sender that
// records what it is given.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/store_app_test.h"
#include "delivery/sender.h"
#include "support/test_db.h"

namespace vouch::jobs {

inline const Instant kStart = FromUnixMillis(1'795'600'000'000);

// Remembers every message it is given and answers with a fixed result.
class RecordingSender final : public delivery::Sender {
 public:
  using Log = std::vector<delivery::Message>;
  RecordingSender(core::Channel channel, std::shared_ptr<Log> log,
                  delivery::SendResult result = {delivery::SendOutcome::kSent, "250 ok"})
      : channel_(channel), log_(std::move(log)), result_(std::move(result)) {}
  core::Channel channel() const override { return channel_; }
  delivery::SendResult Send(const delivery::Message& message) override {
    log_->push_back(message);
    return result_;
  }

 private:
  core::Channel channel_;
  std::shared_ptr<Log> log_;
  delivery::SendResult result_;
};

// The app tests' fixture (an App on a fresh store of each kind) with links on
// https://vouch.test, mail from hello@trail.example, and one shop.
class JobTest : public app::StoreAppTest {
 protected:
  JobTest() : StoreAppTest(kStart, app::AppConfig{"https://vouch.test", "hello@trail.example"}) {}

  void SetUp() override {
    StoreAppTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto shop = app_->shops().Create("Trail Shop", "https://trail.example");
    ASSERT_TRUE(shop.ok()) << shop.error().message;
    shop_ = shop->shop;
  }

  // An order of `customer` (<customer>@example.com, and `phone` when given) placed now; its
  // survey is due in three days. Returns the survey's id.
  store::Id Order(const std::string& id, const std::string& customer, const std::string& phone = "") {
    app::OrderInput o = app::SampleOrder(id, customer, clock_.Now());
    o.customer.phone = phone;
    auto r = app_->ingest().Order(shop_, o);
    EXPECT_TRUE(r.ok()) << r.error().message;
    auto order = store_->Read<std::optional<store::Order>>(
        [&](store::ReadTx& tx) { return tx.orders().Find(shop_.id, id); });
    EXPECT_TRUE(order.ok() && order->has_value() && (*order)->survey_id);
    return order.ok() && order->has_value() && (*order)->survey_id ? *(*order)->survey_id : 0;
  }

  std::optional<store::Survey> Survey(store::Id id) {
    auto s =
        store_->Read<std::optional<store::Survey>>([&](store::ReadTx& tx) { return tx.surveys().Get(id); });
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : std::nullopt;
  }

  std::optional<store::Job> SurveyJob(store::Id survey, core::Channel channel = core::Channel::kEmail) {
    auto j = store_->Read<std::optional<store::Job>>(
        [&](store::ReadTx& tx) { return tx.jobs().Find(store::JobKind::kSurvey, survey, channel); });
    EXPECT_TRUE(j.ok());
    return j.ok() ? *j : std::nullopt;
  }

  // Moves a survey and its job to `channel` behind the app's back (as a later plan would have
  // queued it there).
  void MoveSurveyTo(store::Id survey, core::Channel channel) {
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    const std::string name(core::ChannelName(channel));
    const std::string id = std::to_string(survey);
    auto n = (*conn)->Exec("UPDATE surveys SET channel = '" + name + "' WHERE id = " + id);
    ASSERT_TRUE(n.ok()) << n.error().message;
    n = (*conn)->Exec("UPDATE jobs SET channel = '" + name + "' WHERE kind = 'survey' AND ref_id = " + id);
    ASSERT_TRUE(n.ok()) << n.error().message;
  }

  store::Shop shop_;
};

}  // namespace vouch::jobs
