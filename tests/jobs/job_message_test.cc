// The message a job owes is built for the job's channel: email exactly as ever, SMS not yet.
#include <gtest/gtest.h>

#include "jobs/job_fixture.h"

namespace vouch::jobs {
namespace {

using core::Channel;

class JobMessageTest : public JobTest {};

TEST_P(JobMessageTest, ASurveyOnEmailIsAMailToTheCustomer) {
  const store::Id survey = Order("1", "c-1");
  const auto job = SurveyJob(survey);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(Survey(survey)->channel, core::Channel::kEmail) << "the plan's channel is stored with the survey";
  auto built = app_->messages().Build(*job);
  ASSERT_TRUE(built.ok()) << built.error().message;
  ASSERT_TRUE(built->message.has_value());
  EXPECT_EQ(delivery::ChannelOf(*built->message), Channel::kEmail);
  const auto& mail = std::get<delivery::MailMessage>(*built->message);
  EXPECT_EQ(mail.from_name, "Trail Shop");
  EXPECT_EQ(mail.from_address, "hello@trail.example");
  EXPECT_EQ(mail.to_name, "Anna");
  EXPECT_EQ(mail.to_address, "c-1@example.com");
  EXPECT_EQ(mail.message_id,
            "<vouch.survey." + std::to_string(survey) + "." + std::to_string(shop_.id) + "@vouch.test>");
  EXPECT_EQ(delivery::MessageIdOf(*built->message), mail.message_id);
  EXPECT_NE(mail.text.find("How likely are you to recommend Trail Shop"), std::string::npos) << mail.text;
  EXPECT_NE(mail.html.find("https://vouch.test/s/"), std::string::npos);
  ASSERT_EQ(mail.headers.size(), 4u);
  EXPECT_EQ(mail.headers[0].first, "List-Unsubscribe");
  EXPECT_TRUE(mail.headers[0].second.starts_with("<https://vouch.test/u/")) << mail.headers[0].second;
  EXPECT_EQ(mail.headers[1],
            (std::pair<std::string, std::string>{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}));
  EXPECT_EQ(mail.headers[2], (std::pair<std::string, std::string>{"X-Vouch-Job", std::to_string(job->id)}));
  EXPECT_EQ(mail.headers[3], (std::pair<std::string, std::string>{"Auto-Submitted", "auto-generated"}));
}

// Texts need the customer's explicit SMS consent (the order here says nothing of it).
TEST_P(JobMessageTest, ASurveyOnSmsWithoutSmsConsentIsMoot) {
  const store::Id survey = Order("1", "c-1", "+4915112345678");
  MoveSurveyTo(survey, Channel::kSms);
  auto built = app_->messages().Build(*SurveyJob(survey, Channel::kSms));
  ASSERT_TRUE(built.ok()) << built.error().message;
  EXPECT_FALSE(built->message.has_value());
  EXPECT_EQ(built->skip_reason, "no_consent");
}

TEST_P(JobMessageTest, ASurveyOnSmsForACustomerWithoutAPhoneIsMoot) {
  const store::Id survey = Order("1", "c-1");
  MoveSurveyTo(survey, Channel::kSms);
  auto built = app_->messages().Build(*SurveyJob(survey, Channel::kSms));
  ASSERT_TRUE(built.ok()) << built.error().message;
  EXPECT_FALSE(built->message.has_value());
  EXPECT_EQ(built->skip_reason, "customer has no phone number");
}

// A job is built for its own channel: a text-message job for a survey planned by email (one
// cause may owe both) is never a second mail.
TEST_P(JobMessageTest, ATextJobForAnEmailSurveyIsNoMail) {
  const store::Id survey = Order("1", "c-1", "+4915112345678");
  auto queued = store_->Write<bool>([&](store::Tx& tx) {
    return tx.jobs().Enqueue(shop_.id, store::JobKind::kSurvey, survey, Channel::kSms, clock_.Now());
  });
  ASSERT_TRUE(queued.ok() && *queued);
  auto built = app_->messages().Build(*SurveyJob(survey, Channel::kSms));
  ASSERT_TRUE(built.ok()) << built.error().message;
  EXPECT_TRUE(!built->message || std::holds_alternative<delivery::TextMessage>(*built->message));
  EXPECT_EQ(built->skip_reason, "no_consent");
}

TEST_P(JobMessageTest, AnUnsubscribedCustomersSurveyIsMootOnEveryChannel) {
  const store::Id survey = Order("1", "c-1", "+4915112345678");
  auto customer = store_->Read<std::optional<store::Customer>>(
      [&](store::ReadTx& tx) { return tx.customers().Find(shop_.id, "c-1"); });
  ASSERT_TRUE(customer.ok() && customer->has_value());
  ASSERT_TRUE(app_->answers().Unsubscribe(app_->links().UnsubscribeToken((*customer)->id)).ok());
  for (Channel channel : core::kAllChannels) {
    MoveSurveyTo(survey, channel);
    auto built = app_->messages().Build(*SurveyJob(survey, channel));
    ASSERT_TRUE(built.ok()) << built.error().message;
    EXPECT_FALSE(built->message.has_value()) << core::ChannelName(channel);
    EXPECT_EQ(built->skip_reason, "customer unsubscribed") << core::ChannelName(channel);
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, JobMessageTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::jobs
