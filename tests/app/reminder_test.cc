// The one reminder (issue 17) on every store: a survey whose message was sent gets one reminder
// job on the same channel, due reminder_after_seconds later; it is sent once, skipped when the
// customer answered or unsubscribed meanwhile, and counted in the funnel with the response rate
// with and without it.
#include <gtest/gtest.h>

#include <variant>

#include "app/app.h"
#include "app/store_app_test.h"

namespace vouch::app {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const Instant kNow = FromUnixMillis(1'795'600'000'000);
constexpr int64_t kRemindAfter = 3600;
constexpr const char* kBrowser = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

class ReminderTest : public StoreAppTest {
 protected:
  ReminderTest() : StoreAppTest(kNow) {}

  void SetUp() override {
    StoreAppTest::SetUp();
    if (IsSkipped()) return;
    auto created = app_->shops().Create("Trail Shop", "https://trail.example");
    ASSERT_TRUE(created.ok()) << created.error().message;
    SettingsPatch patch;
    patch.survey_delay_seconds = 0;
    patch.reminder_after_seconds = kRemindAfter;
    auto shop = app_->shops().UpdateSettings(created->shop.id, patch);
    ASSERT_TRUE(shop.ok()) << shop.error().message;
    shop_ = *shop;
  }

  // Orders by `n` customers; their survey messages claimed and recorded sent at kNow.
  std::vector<store::Job> SendSurveys(int n) {
    for (int i = 0; i < n; ++i) {
      auto r =
          app_->ingest().Order(shop_, SampleOrder("o-" + std::to_string(i), "c-" + std::to_string(i), kNow));
      EXPECT_TRUE(r.ok() && r->survey.scheduled);
    }
    auto claimed = app_->outbox().Claim(kNow, Millis{60'000}, 100, 5);
    EXPECT_TRUE(claimed.ok());
    for (const auto& job : *claimed) EXPECT_TRUE(app_->outbox().RecordSent(job, kNow).ok());
    return *claimed;
  }

  std::vector<store::Job> ClaimAt(Instant at) {
    auto claimed = app_->outbox().Claim(at, Millis{60'000}, 100, 5);
    EXPECT_TRUE(claimed.ok());
    return claimed.ok() ? *claimed : std::vector<store::Job>{};
  }

  store::Id CustomerOf(store::Id survey) {
    auto s = store_->Read<std::optional<store::Survey>>(
        [&](store::ReadTx& tx) { return tx.surveys().Get(survey); });
    EXPECT_TRUE(s.ok() && s->has_value());
    return s.ok() && s->has_value() ? (*s)->customer_id : 0;
  }

  store::Funnel FunnelNow() {
    auto f = app_->reports().Funnel(shop_.id, kNow - minutes{10}, kNow + minutes{10});
    EXPECT_TRUE(f.ok());
    return f.ok() ? *f : store::Funnel{};
  }

  store::Shop shop_;
};

TEST_P(ReminderTest, OneReminderPerSurveyOnItsChannelSkippedWhenAnsweredOrUnsubscribed) {
  auto surveys = SendSurveys(3);
  ASSERT_EQ(surveys.size(), 3u);
  EXPECT_TRUE(ClaimAt(kNow + seconds{kRemindAfter - 1}).empty()) << "not due before reminder_after_seconds";

  // Meanwhile the second customer answers and the third unsubscribes.
  clock_.Advance(minutes{30});
  auto answered =
      app_->answers().RecordClick(app_->links().SurveyToken(surveys[1].ref_id), 7, "GET", kBrowser);
  ASSERT_TRUE(answered.ok()) << answered.error().message;
  ASSERT_TRUE(
      app_->answers().Unsubscribe(app_->links().UnsubscribeToken(CustomerOf(surveys[2].ref_id))).ok());

  auto due = ClaimAt(kNow + seconds{kRemindAfter});
  ASSERT_EQ(due.size(), 3u);
  int sent = 0;
  for (const auto& job : due) {
    EXPECT_EQ(job.kind, store::JobKind::kReminder);
    EXPECT_EQ(job.channel, core::Channel::kEmail) << "the survey's channel";
    auto built = app_->messages().Build(job);
    ASSERT_TRUE(built.ok()) << built.error().message;
    if (job.ref_id == surveys[0].ref_id) {
      ASSERT_TRUE(built->message.has_value()) << built->skip_reason;
      const auto& mail = std::get<delivery::MailMessage>(*built->message);
      EXPECT_EQ(mail.subject, "Reminder: How was your order from Trail Shop?");
      EXPECT_NE(mail.text.find("this is the only reminder"), std::string::npos);
      EXPECT_NE(mail.html.find("this is the only reminder"), std::string::npos);
      EXPECT_NE(mail.message_id.find("<vouch.reminder." + std::to_string(job.ref_id) + "."),
                std::string::npos)
          << mail.message_id;
      ASSERT_TRUE(app_->outbox().RecordSent(job, kNow + seconds{kRemindAfter}).ok());
      ++sent;
    } else if (job.ref_id == surveys[1].ref_id) {
      EXPECT_FALSE(built->message.has_value());
      EXPECT_EQ(built->skip_reason, "survey answered");
    } else {
      EXPECT_FALSE(built->message.has_value());
      EXPECT_EQ(built->skip_reason, "customer unsubscribed");
    }
    if (!built->message) {
      ASSERT_TRUE(app_->outbox().Finish(job, store::JobStatus::kSkipped, built->skip_reason, kNow).ok());
    }
  }
  EXPECT_EQ(sent, 1);

  // Exactly once: the survey message recorded sent again (a resend after a crash) queues no
  // second reminder, and the reminder itself queues none.
  ASSERT_TRUE(app_->outbox().RecordSent(surveys[0], kNow + seconds{kRemindAfter + 5}).ok());
  EXPECT_TRUE(ClaimAt(kNow + seconds{10 * kRemindAfter}).empty());

  // The funnel: one reminder; the answer before it counts without reminders, the one after only
  // with them.
  store::Funnel f = FunnelNow();
  EXPECT_EQ(f.surveys_sent, 3);
  EXPECT_EQ(f.reminders_sent, 1);
  EXPECT_EQ(f.responses, 1);
  EXPECT_EQ(f.responses_after_reminder, 0);
  clock_.Advance(minutes{120});
  auto late = app_->answers().RecordClick(app_->links().SurveyToken(surveys[0].ref_id), 9, "GET", kBrowser);
  ASSERT_TRUE(late.ok()) << late.error().message;
  f = FunnelNow();
  EXPECT_EQ(f.responses, 2);
  EXPECT_EQ(f.responses_after_reminder, 1);
}

// A reminder is a marketing message: it counts against the message budget (issue 11) and is
// skipped "over_budget" when the survey mail used the last of it.
TEST_P(ReminderTest, AReminderOverTheMessageBudgetIsSkipped) {
  SettingsPatch one;
  one.max_messages = 1;
  auto shop = app_->shops().UpdateSettings(shop_.id, one);
  ASSERT_TRUE(shop.ok()) << shop.error().message;
  shop_ = *shop;
  auto surveys = SendSurveys(1);
  ASSERT_EQ(surveys.size(), 1u);
  auto due = ClaimAt(kNow + seconds{kRemindAfter});
  ASSERT_EQ(due.size(), 1u);
  ASSERT_EQ(due[0].kind, store::JobKind::kReminder);
  auto built = app_->messages().Build(due[0]);
  ASSERT_TRUE(built.ok()) << built.error().message;
  EXPECT_FALSE(built->message.has_value());
  EXPECT_EQ(built->skip_reason, "over_budget");

  SettingsPatch two;
  two.max_messages = 2;
  ASSERT_TRUE(app_->shops().UpdateSettings(shop_.id, two).ok());
  auto again = app_->messages().Build(due[0]);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->message.has_value()) << "within a budget of two: " << again->skip_reason;
}

TEST_P(ReminderTest, NoReminderWhenTheSettingIsOff) {
  SettingsPatch off;
  off.reminder_after_seconds = 0;
  auto shop = app_->shops().UpdateSettings(shop_.id, off);
  ASSERT_TRUE(shop.ok());
  shop_ = *shop;
  SendSurveys(2);
  EXPECT_TRUE(ClaimAt(kNow + std::chrono::days{365}).empty());
  EXPECT_EQ(FunnelNow().reminders_sent, 0);
}

TEST_P(ReminderTest, TheSettingIsBounded) {
  SettingsPatch bad;
  bad.reminder_after_seconds = -1;
  auto r = app_->shops().UpdateSettings(shop_.id, bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "reminder_after_seconds");
  bad.reminder_after_seconds = 91 * 86400;
  EXPECT_FALSE(app_->shops().UpdateSettings(shop_.id, bad).ok());
}

INSTANTIATE_TEST_SUITE_P(Stores, ReminderTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
