// The worker sends each job through the sender of its channel, and fails a job whose channel
// has no sender at once and visibly.
#include "jobs/worker.h"

#include <gtest/gtest.h>

#include <chrono>

#include "jobs/job_fixture.h"
#include "support/smtp_sink.h"

namespace vouch::jobs {
namespace {

using core::Channel;
using std::chrono::days;
using std::chrono::seconds;

class WorkerChannelTest : public JobTest {
 protected:
  void SetUp() override {
    JobTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    WorkerOptions o;
    o.retry_base = seconds{30};
    worker_ = std::make_unique<Worker>(*app_, nullptr, o);
  }

  std::shared_ptr<RecordingSender::Log> email_log_ = std::make_shared<RecordingSender::Log>();
  std::shared_ptr<RecordingSender::Log> sms_log_ = std::make_shared<RecordingSender::Log>();
  std::unique_ptr<Worker> worker_;
};

TEST_P(WorkerChannelTest, ASurveyGoesOutThroughTheEmailSenderOnly) {
  delivery::Senders senders;
  senders.Set(std::make_unique<RecordingSender>(Channel::kEmail, email_log_));
  senders.Set(std::make_unique<RecordingSender>(Channel::kSms, sms_log_));
  const store::Id survey = Order("1", "c-1");
  EXPECT_EQ(worker_->RunOnce(senders), 0) << "not due yet";
  clock_.Advance(days{3});
  EXPECT_EQ(worker_->RunOnce(senders), 1);
  EXPECT_EQ(worker_->RunOnce(senders), 0);

  ASSERT_EQ(email_log_->size(), 1u);
  EXPECT_TRUE(sms_log_->empty());
  const auto* mail = std::get_if<delivery::MailMessage>(&(*email_log_)[0]);
  ASSERT_NE(mail, nullptr);
  EXPECT_EQ(mail->to_address, "c-1@example.com");
  EXPECT_TRUE(mail->message_id.starts_with("<vouch.survey.")) << mail->message_id;
  EXPECT_EQ(app_->outbox().Counts(shop_.id)->done, 1);
  EXPECT_EQ(Survey(survey)->status, store::SurveyStatus::kSent);
}

TEST_P(WorkerChannelTest, AJobOnAChannelWithoutASenderFailsAtOnceWithTheReason) {
  delivery::Senders senders;  // SMS only: nothing can send email here
  senders.Set(std::make_unique<RecordingSender>(Channel::kSms, sms_log_));
  const store::Id survey = Order("1", "c-1");
  ASSERT_EQ(SurveyJob(survey)->channel, Channel::kEmail);
  clock_.Advance(days{3});
  EXPECT_EQ(worker_->RunOnce(senders), 1);

  auto failed = app_->outbox().List(shop_.id, store::JobStatus::kFailed, 10);
  ASSERT_TRUE(failed.ok());
  ASSERT_EQ(failed->size(), 1u) << "failed, not dropped and not pending a retry";
  EXPECT_EQ((*failed)[0].last_error, "no sender for channel email");
  EXPECT_EQ((*failed)[0].attempts, 1);
  EXPECT_EQ(Survey(survey)->status, store::SurveyStatus::kFailed);
  EXPECT_TRUE(sms_log_->empty());

  clock_.Advance(days{30});
  EXPECT_EQ(worker_->RunOnce(senders), 0) << "a failed job is never retried";
  EXPECT_EQ(app_->outbox().Counts(shop_.id)->failed, 1);
}

// One cause may owe a mail and a text message (jobs are unique per kind, cause and channel); the
// text job, with no SMS sender configured, fails visibly while the mail goes out.
TEST_P(WorkerChannelTest, AnSmsJobBesideTheMailFailsAloneWithoutAnSmsSender) {
  delivery::Senders senders;
  senders.Set(std::make_unique<RecordingSender>(Channel::kEmail, email_log_));
  const store::Id survey = Order("1", "c-1");
  auto queued = store_->Write<bool>([&](store::Tx& tx) {
    return tx.jobs().Enqueue(shop_.id, store::JobKind::kSurvey, survey, Channel::kSms, clock_.Now());
  });
  ASSERT_TRUE(queued.ok()) << queued.error().message;
  EXPECT_TRUE(*queued) << "a second job for the same survey on another channel is new";
  clock_.Advance(days{3});
  EXPECT_EQ(worker_->RunOnce(senders), 2);
  EXPECT_EQ(email_log_->size(), 1u) << "the mail goes out through the email sender";
  auto failed = app_->outbox().List(shop_.id, store::JobStatus::kFailed, 10);
  ASSERT_TRUE(failed.ok());
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].channel, Channel::kSms);
  EXPECT_EQ((*failed)[0].last_error, "no sender for channel sms");
  EXPECT_EQ(app_->outbox().Counts(shop_.id)->done, 1);
  EXPECT_EQ(Survey(survey)->status, store::SurveyStatus::kSent) << "reached by mail, so not failed";
}

TEST_P(WorkerChannelTest, NoSendersAtAllFailsEveryJob) {
  delivery::Senders none;
  Order("1", "c-1");
  Order("2", "c-2");
  clock_.Advance(days{3});
  EXPECT_EQ(worker_->RunOnce(none), 2);
  EXPECT_EQ(app_->outbox().Counts(shop_.id)->failed, 2);
  EXPECT_EQ(app_->outbox().Counts(shop_.id)->pending, 0);
}

TEST_P(WorkerChannelTest, ASendersTransientAndPermanentResultsAreRecordedAsBefore) {
  delivery::Senders senders;
  auto log = std::make_shared<RecordingSender::Log>();
  senders.Set(std::make_unique<RecordingSender>(
      Channel::kEmail, log, delivery::SendResult{delivery::SendOutcome::kTransient, "451 later"}));
  const store::Id first = Order("1", "c-1");
  clock_.Advance(days{3});
  EXPECT_EQ(worker_->RunOnce(senders), 1);
  auto pending = app_->outbox().List(shop_.id, store::JobStatus::kPending, 10);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].last_error, "451 later");
  EXPECT_EQ((*pending)[0].run_at, clock_.Now() + seconds{30});

  senders.Set(std::make_unique<RecordingSender>(
      Channel::kEmail, log, delivery::SendResult{delivery::SendOutcome::kPermanent, "550 no such user"}));
  clock_.Advance(seconds{30});
  EXPECT_EQ(worker_->RunOnce(senders), 1);
  EXPECT_EQ(log->size(), 2u);
  auto failed = app_->outbox().List(shop_.id, store::JobStatus::kFailed, 10);
  ASSERT_TRUE(failed.ok() && failed->size() == 1u);
  EXPECT_EQ((*failed)[0].last_error, "550 no such user");
  EXPECT_EQ(Survey(first)->status, store::SurveyStatus::kFailed);
}

// A job goes out on its own channel: a survey queued on SMS is built for SMS, never handed to the
// email sender. Its customer without a phone makes it moot.
TEST_P(WorkerChannelTest, ASurveyOnSmsIsNeverSentByEmail) {
  delivery::Senders senders;
  senders.Set(std::make_unique<RecordingSender>(Channel::kEmail, email_log_));
  senders.Set(std::make_unique<RecordingSender>(Channel::kSms, sms_log_));
  const store::Id survey = Order("1", "c-1");
  MoveSurveyTo(survey, Channel::kSms);
  clock_.Advance(days{3});
  EXPECT_EQ(worker_->RunOnce(senders), 1);
  EXPECT_TRUE(email_log_->empty());
  EXPECT_TRUE(sms_log_->empty());
  auto skipped = app_->outbox().List(shop_.id, store::JobStatus::kSkipped, 10);
  ASSERT_TRUE(skipped.ok() && skipped->size() == 1u);
  EXPECT_EQ((*skipped)[0].last_error, "customer has no phone number");
}

// Quiet hours (21:00 to 09:00 where the customer is): a text due at 21:46 in Berlin waits, without
// spending an attempt, until 09:00 the next morning, and goes out then.
TEST_P(WorkerChannelTest, ATextDueInTheCustomersNightWaitsForTheMorning) {
  delivery::Senders senders;
  senders.Set(std::make_unique<RecordingSender>(Channel::kEmail, email_log_));
  senders.Set(std::make_unique<RecordingSender>(Channel::kSms, sms_log_));
  app::OrderInput o = app::SampleOrder("1", "c-1", clock_.Now());
  o.customer.phone = "+4915112345678";
  o.customer.accepts_sms_marketing = true;
  ASSERT_TRUE(app_->ingest().Order(shop_, o).ok());
  auto order = store_->Read<std::optional<store::Order>>(
      [&](store::ReadTx& tx) { return tx.orders().Find(shop_.id, "1"); });
  ASSERT_TRUE(order.ok() && order->has_value() && (*order)->survey_id);
  const store::Id survey = *(*order)->survey_id;
  MoveSurveyTo(survey, Channel::kSms);

  // kStart is 10:46:40 in Berlin; the survey is due three days later. 11 hours on: 21:46:40.
  clock_.Advance(days{3} + std::chrono::hours{11});
  EXPECT_EQ(worker_->RunOnce(senders), 1);
  EXPECT_TRUE(sms_log_->empty()) << "nothing texted at night";
  auto job = SurveyJob(survey, Channel::kSms);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->status, store::JobStatus::kPending);
  EXPECT_EQ(job->attempts, 0) << "waiting is no failed attempt";
  const Instant morning = kStart + days{4} - std::chrono::minutes{106} - seconds{40};  // 09:00 Berlin
  EXPECT_EQ(job->run_at, morning);
  EXPECT_EQ(job->last_error, "quiet hours until " + FormatRfc3339(morning));

  clock_.Set(morning - seconds{1});
  EXPECT_EQ(worker_->RunOnce(senders), 0) << "not before 09:00";
  clock_.Set(morning);
  EXPECT_EQ(worker_->RunOnce(senders), 1);
  ASSERT_EQ(sms_log_->size(), 1u);
  const auto* text = std::get_if<delivery::TextMessage>(&(*sms_log_)[0]);
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text->to, "+4915112345678");
  EXPECT_TRUE(email_log_->empty());
  EXPECT_EQ(Survey(survey)->status, store::SurveyStatus::kSent);
}

// The email sender the node builds (a Mailer wrapped as a Sender) over a real SMTP server.
TEST_P(WorkerChannelTest, TheEmailSenderOverSmtpDeliversTheSurvey) {
  test::SmtpSink sink;
  delivery::SmtpConfig smtp;
  smtp.url = sink.url();
  smtp.timeout_seconds = 5;
  delivery::Senders senders;
  senders.Set(delivery::MakeEmailSender(delivery::MakeSmtpMailer(smtp, clock_)));
  Order("1", "c-1");
  clock_.Advance(days{3});
  EXPECT_EQ(worker_->RunOnce(senders), 1);
  auto messages = sink.WaitForMessages(1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("Message-ID: <vouch.survey."), std::string::npos);
  EXPECT_NE(messages[0].find("List-Unsubscribe: <https://vouch.test/u/"), std::string::npos);
  EXPECT_EQ(app_->outbox().Counts(shop_.id)->done, 1);
}

// A template bomb stored before uploads were checked (twelve self-nested sections: 11^12
// passes) fails its job at once with the reason: no worker stalls, no retry.
TEST_P(WorkerChannelTest, AStoredTemplateBombFailsItsJobAtOnce) {
  std::string bomb;
  for (int i = 0; i < 12; ++i) bomb += "{{#buttons}}";
  for (int i = 0; i < 12; ++i) bomb += "{{/buttons}}";
  auto put =
      store_->Write<Ok>([&](store::Tx& tx) { return tx.templates().Put(shop_.id, "en/survey.txt", bomb); });
  ASSERT_TRUE(put.ok());
  delivery::Senders senders;
  senders.Set(std::make_unique<RecordingSender>(Channel::kEmail, email_log_));
  const store::Id survey = Order("1", "c-1");
  clock_.Advance(days{3});
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(worker_->RunOnce(senders), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds{2});
  EXPECT_TRUE(email_log_->empty());
  auto failed = app_->outbox().List(shop_.id, store::JobStatus::kFailed, 10);
  ASSERT_TRUE(failed.ok() && failed->size() == 1u);
  EXPECT_NE((*failed)[0].last_error.find("en/survey.txt: section \"buttons\" is nested inside itself"),
            std::string::npos)
      << (*failed)[0].last_error;
  EXPECT_EQ(Survey(survey)->status, store::SurveyStatus::kFailed);
}

// A job whose lease keeps running out (its worker hangs or crashes on it) is claimed at most
// max_claims times, then fails for good with its survey.
TEST_P(WorkerChannelTest, AJobWhoseLeaseKeepsRunningOutFailsAfterMaxClaims) {
  const store::Id survey = Order("1", "c-1");
  clock_.Advance(days{3});
  for (int claim = 1; claim <= 3; ++claim) {
    auto claimed = app_->outbox().Claim(clock_.Now(), seconds{60}, 10, 3);
    ASSERT_TRUE(claimed.ok());
    ASSERT_EQ(claimed->size(), 1u) << "claim " << claim;
    EXPECT_EQ((*claimed)[0].attempts, claim);
    clock_.Advance(seconds{61});  // the worker never reports back
  }
  auto again = app_->outbox().Claim(clock_.Now(), seconds{60}, 10, 3);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
  const auto job = SurveyJob(survey);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->status, store::JobStatus::kFailed);
  EXPECT_NE(job->last_error.find("abandoned"), std::string::npos) << job->last_error;
  EXPECT_EQ(Survey(survey)->status, store::SurveyStatus::kFailed);
  clock_.Advance(days{30});
  auto later = app_->outbox().Claim(clock_.Now(), seconds{60}, 10, 3);
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, WorkerChannelTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::jobs
