// Issue 12's operations, on every store: a shop's hourly sending quota (over it a message waits
// for the next hour, never lost, no attempt spent) and the link secret's rotation (links signed
// before keep working for the grace period, then stop).
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/store_app_test.h"
#include "jobs/worker.h"
#include "support/smtp_sink.h"
#include "support/test_db.h"

namespace vouch::app {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using test::TestDb;

// The id a token verified to, or 0.
store::Id IdOf(const Result<store::Id>& r) { return r.ok() ? *r : 0; }

// 2026-11-24T10:13:20Z: 46 minutes and 40 seconds before the next clock hour.
const Instant kStart = FromUnixMillis(1'795'600'000'000);

class EdgeOpsTest : public StoreAppTest {
 protected:
  EdgeOpsTest() : StoreAppTest(kStart, AppConfig{"https://vouch.test", "hello@trail.example"}) {}

  void SetUp() override {
    StoreAppTest::SetUp();
    if (IsSkipped()) return;
    auto shop = app_->shops().Create("Trail Shop", "https://trail.example");
    ASSERT_TRUE(shop.ok()) << shop.error().message;
    shop_ = shop->shop;
  }

  std::vector<store::Job> Jobs(std::optional<store::JobStatus> status) {
    auto jobs = app_->outbox().List(shop_.id, status, 1000);
    EXPECT_TRUE(jobs.ok());
    return jobs.ok() ? *jobs : std::vector<store::Job>{};
  }

  store::Shop shop_;
};

TEST_P(EdgeOpsTest, OverItsHourlyQuotaAShopsMessagesWaitForTheNextHour) {
  SettingsPatch p;
  p.messages_per_hour = 2;
  p.survey_delay_seconds = 0;
  auto updated = app_->shops().UpdateSettings(shop_.id, p);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  shop_ = *updated;
  for (int i = 0; i < 5; ++i) {
    auto r = app_->ingest().Order(
        shop_, SampleOrder("o-" + std::to_string(i), "c-" + std::to_string(i), clock_.Now()));
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_TRUE(r->survey.scheduled);
  }
  test::SmtpSink sink;
  jobs::WorkerOptions o;
  jobs::Worker worker(*app_, nullptr, o);
  delivery::SmtpConfig smtp;
  smtp.url = sink.url();
  smtp.timeout_seconds = 5;
  auto mailer = delivery::MakeSmtpMailer(smtp, clock_);

  worker.RunOnce(*mailer);
  EXPECT_EQ(sink.WaitForMessages(2).size(), 2u);
  auto waiting = Jobs(store::JobStatus::kPending);
  ASSERT_EQ(waiting.size(), 3u) << "over the quota: waiting, not failed";
  const Instant next_hour = FromUnixMillis((ToUnixMillis(kStart) / 3'600'000 + 1) * 3'600'000);
  for (const auto& j : waiting) {
    EXPECT_GE(j.run_at, next_hour);
    EXPECT_LT(j.run_at, next_hour + minutes{1});
    EXPECT_EQ(j.attempts, 0) << "a quota wait spends no attempt";
    EXPECT_NE(j.last_error.find("quota"), std::string::npos) << j.last_error;
  }
  worker.RunOnce(*mailer);
  EXPECT_EQ(Jobs(store::JobStatus::kPending).size(), 3u) << "still the same hour";

  clock_.Advance(hours{1});
  worker.RunOnce(*mailer);
  EXPECT_EQ(sink.WaitForMessages(4).size(), 4u);
  EXPECT_EQ(Jobs(store::JobStatus::kPending).size(), 1u);
  clock_.Advance(hours{1});
  worker.RunOnce(*mailer);
  EXPECT_EQ(sink.WaitForMessages(5).size(), 5u);
  EXPECT_EQ(Jobs(store::JobStatus::kDone).size(), 5u) << "every message went out in the end";
  EXPECT_TRUE(Jobs(store::JobStatus::kFailed).empty());
  EXPECT_EQ(app_->outbox().Sent(core::Channel::kEmail).sent.Get(), 5u);

  // Another shop has its own quota (none).
  auto other = app_->shops().Create("Other", "https://other.example");
  ASSERT_TRUE(other.ok());
  store::Job theirs;
  theirs.shop_id = other->shop.id;
  auto free = app_->outbox().TakeSendQuota(theirs, clock_.Now());
  ASSERT_TRUE(free.ok());
  EXPECT_FALSE(free->has_value());
}

TEST_P(EdgeOpsTest, TheQuotaIsOneCounterPerShopAndHourAcrossCallers) {
  SettingsPatch p;
  p.messages_per_hour = 3;
  ASSERT_TRUE(app_->shops().UpdateSettings(shop_.id, p).ok());
  store::Job job;
  job.shop_id = shop_.id;
  int allowed = 0;
  for (int i = 0; i < 10; ++i) {
    auto wait = app_->outbox().TakeSendQuota(job, clock_.Now());
    ASSERT_TRUE(wait.ok()) << wait.error().message;
    if (!wait->has_value()) ++allowed;
  }
  EXPECT_EQ(allowed, 3);
  clock_.Advance(hours{1});
  auto wait = app_->outbox().TakeSendQuota(job, clock_.Now());
  ASSERT_TRUE(wait.ok());
  EXPECT_FALSE(wait->has_value()) << "a new hour, a new quota";
  SettingsPatch bad;
  bad.messages_per_hour = -1;
  auto refused = app_->shops().UpdateSettings(shop_.id, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "messages_per_hour");
}

TEST_P(EdgeOpsTest, LinksSignedBeforeARotationWorkForTheGracePeriodThenStop) {
  auto before = App::LoadLinkSecrets(*store_);
  ASSERT_TRUE(before.ok()) << before.error().message;
  EXPECT_TRUE(before->previous.empty());
  App old_node(*store_, clock_, config_, before->current);
  const std::string old_token = old_node.links().SurveyToken(42);
  const std::string old_unsubscribe = old_node.links().UnsubscribeToken(7);

  auto until = App::RotateLinkSecret(*store_, clock_.Now(), days{7});
  ASSERT_TRUE(until.ok()) << until.error().message;
  EXPECT_EQ(*until, clock_.Now() + days{7});
  auto after = App::LoadLinkSecrets(*store_);
  ASSERT_TRUE(after.ok());
  EXPECT_NE(after->current, before->current);
  EXPECT_EQ(after->previous, before->current);
  EXPECT_EQ(after->previous_until, *until);

  App node(*store_, clock_, config_, after->current);
  node.AcceptPreviousLinkSecret(*after);
  const std::string new_token = node.links().SurveyToken(42);
  EXPECT_NE(new_token, old_token) << "new links are signed with the new secret";
  EXPECT_EQ(IdOf(node.links().VerifySurveyToken(new_token)), 42);
  EXPECT_EQ(IdOf(node.links().VerifySurveyToken(old_token)), 42) << "in the grace period";
  EXPECT_EQ(IdOf(node.links().VerifyUnsubscribeToken(old_unsubscribe)), 7);
  EXPECT_FALSE(old_node.links().VerifySurveyToken(new_token).ok());

  clock_.Advance(days{7});
  EXPECT_EQ(node.links().VerifySurveyToken(old_token).error().code, Code::kNotFound) << "after it";
  EXPECT_FALSE(node.links().VerifyUnsubscribeToken(old_unsubscribe).ok());
  EXPECT_EQ(IdOf(node.links().VerifySurveyToken(new_token)), 42);

  // A node that was not told of the previous secret refuses old links at once.
  App strict(*store_, clock_, config_, after->current);
  clock_.Set(kStart);
  EXPECT_FALSE(strict.links().VerifySurveyToken(old_token).ok());
  // A second rotation drops the first secret for good.
  ASSERT_TRUE(App::RotateLinkSecret(*store_, clock_.Now(), days{7}).ok());
  auto twice = App::LoadLinkSecrets(*store_);
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->previous, after->current);
  App latest(*store_, clock_, config_, twice->current);
  latest.AcceptPreviousLinkSecret(*twice);
  EXPECT_FALSE(latest.links().VerifySurveyToken(old_token).ok());
  EXPECT_EQ(IdOf(latest.links().VerifySurveyToken(new_token)), 42);
}

// Customers who unsubscribed before migration 0013 have only customers.unsubscribed_at; the
// backfill at start remembers them per person, so a new row with the same mailbox or phone is
// not surveyed.
class UnsubscribeBackfillTest : public EdgeOpsTest {
 protected:
  // A customer row as an old node wrote it: unsubscribed, with no unsubscribes row.
  void OldUnsubscribed(store::Id shop, const std::string& id, const std::string& email,
                       const std::string& phone) {
    store::Customer c;
    c.shop_id = shop;
    c.external_id = id;
    c.email = email;
    c.phone = phone;
    c.unsubscribed_at = kStart - days{100};
    auto w = store_->Write<store::Id>([&](store::Tx& tx) { return tx.customers().Insert(c); });
    ASSERT_TRUE(w.ok()) << w.error().message;
  }

  std::string SkippedReason(const store::Shop& shop, const std::string& order, const std::string& customer,
                            const std::string& email, const std::string& phone = "") {
    OrderInput o = SampleOrder(order, customer, clock_.Now());
    o.customer.email = email;
    o.customer.phone = phone;
    auto r = app_->ingest().Order(shop, o);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->survey.skipped_reason : "error";
  }

  std::optional<std::string> Mark() {
    auto v = store_->Read<std::optional<std::string>>(
        [](store::ReadTx& tx) { return tx.meta().Get("unsubscribes_backfill"); });
    EXPECT_TRUE(v.ok());
    return v.ok() ? *v : std::nullopt;
  }
};

TEST_P(UnsubscribeBackfillTest, StartRemembersCustomersUnsubscribedBeforeTheTableExisted) {
  auto other = app_->shops().Create("Other", "https://other.example");
  ASSERT_TRUE(other.ok());
  OldUnsubscribed(shop_.id, "old-1", "anna.smith@gmail.com", "");
  OldUnsubscribed(shop_.id, "old-2", "", "+4915112345678");
  OldUnsubscribed(other->shop.id, "old-3", "carl@example.com", "");
  EXPECT_EQ(SkippedReason(shop_, "1", "new-1", "AnnaSmith+x@googlemail.com"), "")
      << "before the backfill the old unsubscribe holds only for its own row";

  auto secret = App::LoadLinkSecret(*store_);
  ASSERT_TRUE(secret.ok()) << secret.error().message;
  EXPECT_EQ(Mark(), "done");
  EXPECT_EQ(SkippedReason(shop_, "2", "new-2", "annasmith+y@gmail.com"), "unsubscribed");
  EXPECT_EQ(SkippedReason(shop_, "3", "new-3", "dora@example.com", "+49 151 1234 5678"), "unsubscribed");
  EXPECT_EQ(SkippedReason(shop_, "4", "new-4", "carl@example.com"), "") << "another shop's unsubscribe";
  EXPECT_EQ(SkippedReason(other->shop, "5", "new-5", "carl@example.com"), "unsubscribed");

  // Done once: a row written unsubscribed afterwards by an old node is not scanned again at start.
  OldUnsubscribed(shop_.id, "old-4", "erin@example.com", "");
  ASSERT_TRUE(App::LoadLinkSecret(*store_).ok());
  EXPECT_EQ(SkippedReason(shop_, "6", "new-6", "erin@example.com"), "");
}

TEST_P(UnsubscribeBackfillTest, ItRunsInChunksAndResumesFromItsMark) {
  for (int i = 0; i < 5; ++i) {
    OldUnsubscribed(shop_.id, "old-" + std::to_string(i), "p" + std::to_string(i) + "@example.com", "");
  }
  // A node stopped after the first two customers (the mark holds the last id done).
  auto first_two = store_->Read<std::vector<store::Customer>>(
      [](store::ReadTx& tx) { return tx.customers().ListUnsubscribed(0, 2); });
  ASSERT_TRUE(first_two.ok());
  ASSERT_EQ(first_two->size(), 2u);
  ASSERT_TRUE(store_
                  ->Write<bool>([&](store::Tx& tx) -> Result<bool> {
                    VOUCH_TRY(tx.meta().Put("unsubscribes_backfill", std::to_string(first_two->back().id)));
                    return true;
                  })
                  .ok());
  ASSERT_TRUE(Unsubscribes::BackfillFromCustomers(*store_, 2).ok());
  EXPECT_EQ(Mark(), "done");
  EXPECT_EQ(SkippedReason(shop_, "1", "new-1", "p0@example.com"), "")
      << "before the mark: left to the first run";
  for (int i = 2; i < 5; ++i) {
    EXPECT_EQ(SkippedReason(shop_, "n" + std::to_string(i), "new-" + std::to_string(i),
                            "P" + std::to_string(i) + "@example.com"),
              "unsubscribed")
        << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, UnsubscribeBackfillTest, ::testing::ValuesIn(TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

INSTANTIATE_TEST_SUITE_P(Stores, EdgeOpsTest, ::testing::ValuesIn(TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
