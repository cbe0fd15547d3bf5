#pragma once
// Shared by the jobs tests: an App on a fresh store of the parameter's kind ("sqlite", or
// "postgres" when VOUCH_TEST_PG is set, else skipped), a fake clock, one shop, and a Sender that
// records what it is given.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "app/app.h"
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

class JobTest : public ::testing::TestWithParam<std::string> {
 protected:
  JobTest() : clock_(kStart) {}

  void SetUp() override {
    if (!test::TestDb::Available(GetParam())) GTEST_SKIP() << test::TestDb::kSkip;
    db_ = std::make_unique<test::TestDb>(GetParam());
    auto s = store::OpenStore(db_->url());
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
    app::AppConfig config;
    config.public_url = "https://vouch.test";
    config.mail_from = "hello@trail.example";
    app_ = std::make_unique<app::App>(*store_, clock_, config, "test-secret");
    auto shop = app_->shops().Create("Trail Shop", "https://trail.example");
    ASSERT_TRUE(shop.ok()) << shop.error().message;
    shop_ = shop->shop;
  }

  // An order of `customer` (<customer>@example.com, and `phone` when given) placed now; its
  // survey is due in three days. Returns the survey's id.
  store::Id Order(const std::string& id, const std::string& customer, const std::string& phone = "") {
    app::OrderInput o;
    o.external_id = id;
    o.created_at = clock_.Now();
    o.currency = "EUR";
    o.total_minor = 5990;
    o.customer.external_id = customer;
    o.customer.email = customer + "@example.com";
    o.customer.phone = phone;
    o.customer.first_name = "Anna";
    o.items.push_back(store::LineItem{"p-1", "Trail shoe", "shoes", 1, 5990});
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

  // Moves a survey to another channel with plain SQL, beside the store (the API cannot yet).
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

  std::unique_ptr<test::TestDb> db_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<app::App> app_;
  store::Shop shop_;
};

}  // namespace vouch::jobs
