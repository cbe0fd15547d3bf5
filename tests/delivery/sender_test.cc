#include "delivery/sender.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "base/time.h"
#include "support/sample_mail.h"
#include "support/smtp_sink.h"

namespace vouch::delivery {
namespace {

using core::Channel;
using test::SmtpSink;

const Instant kNow = FromUnixMillis(1795169700000);

TextMessage Text() {
  TextMessage t;
  t.from = "TrailShop";
  t.to = "+4915112345678";
  t.body = "How likely are you to recommend Trail Shop? https://vouch.test/s/x";
  t.reference = "vouch.survey.1.1@vouch.test";
  return t;
}

std::unique_ptr<Sender> SmtpEmailSender(const SmtpSink& sink, const Clock& clock) {
  SmtpConfig config;
  config.url = sink.url();
  config.timeout_seconds = 10;
  return MakeEmailSender(MakeSmtpMailer(config, clock));
}

// Remembers what it was given and answers with a fixed result.
class FakeSender final : public Sender {
 public:
  FakeSender(Channel channel, std::shared_ptr<std::vector<Message>> log,
             SendResult result = {SendOutcome::kSent, "ok"})
      : channel_(channel), log_(std::move(log)), result_(std::move(result)) {}
  Channel channel() const override { return channel_; }
  SendResult Send(const Message& message) override {
    log_->push_back(message);
    return result_;
  }

 private:
  Channel channel_;
  std::shared_ptr<std::vector<Message>> log_;
  SendResult result_;
};

class CountingMailer final : public Mailer {
 public:
  SendResult Send(const MailMessage& message) override {
    ids.push_back(message.message_id);
    return {SendOutcome::kTransient, "try later"};
  }
  std::vector<std::string> ids;
};

class SenderTest : public ::testing::Test {
 protected:
  FakeClock clock_{kNow};
};

TEST(MessageTest, ChannelAndIdOfEachKind) {
  const Message mail = test::SampleMail(1);
  const Message text = Text();
  EXPECT_EQ(ChannelOf(mail), Channel::kEmail);
  EXPECT_EQ(ChannelOf(text), Channel::kSms);
  EXPECT_EQ(MessageIdOf(mail), "<m1@trail.example>");
  EXPECT_EQ(MessageIdOf(text), "vouch.survey.1.1@vouch.test");
}

TEST_F(SenderTest, TheEmailSenderOverSmtpDeliversLikeTheMailer) {
  SmtpSink sink;
  auto sender = SmtpEmailSender(sink, clock_);
  EXPECT_EQ(sender->channel(), Channel::kEmail);
  for (int i = 1; i <= 2; ++i) {
    const SendResult r = sender->Send(test::SampleMail(i));
    EXPECT_EQ(r.outcome, SendOutcome::kSent) << r.detail;
    EXPECT_TRUE(r.detail.starts_with("250")) << r.detail;
  }
  const std::vector<std::string> got = sink.WaitForMessages(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(sink.connections(), 1u) << "the mailer's connection is reused";
  // The very text ComposeMime makes (the sink adds nothing before the headers we write).
  EXPECT_NE(got[0].find("Message-ID: <m1@trail.example>"), std::string::npos);
  EXPECT_NE(got[1].find("Subject: Message 2"), std::string::npos);
  const auto envelopes = sink.Envelopes();
  ASSERT_EQ(envelopes.size(), 2u);
  EXPECT_EQ(envelopes[1].rcpt_to, std::vector<std::string>{"customer2@example.org"});
}

TEST_F(SenderTest, TheEmailSenderKeepsTheMailersErrorContract) {
  {
    SmtpSink::Options o;
    o.rcpt_reply = 550;
    SmtpSink sink(o);
    const SendResult r = SmtpEmailSender(sink, clock_)->Send(test::SampleMail(1));
    EXPECT_EQ(r.outcome, SendOutcome::kPermanent);
    EXPECT_NE(r.detail.find("550"), std::string::npos) << r.detail;
  }
  {
    SmtpSink::Options o;
    o.rcpt_reply = 451;
    SmtpSink sink(o);
    const SendResult r = SmtpEmailSender(sink, clock_)->Send(test::SampleMail(1));
    EXPECT_EQ(r.outcome, SendOutcome::kTransient);
    EXPECT_NE(r.detail.find("451"), std::string::npos) << r.detail;
  }
}

TEST_F(SenderTest, ATextGivenToTheEmailSenderIsAPermanentErrorAndSendsNothing) {
  SmtpSink sink;
  auto sender = SmtpEmailSender(sink, clock_);
  const SendResult r = sender->Send(Text());
  EXPECT_EQ(r.outcome, SendOutcome::kPermanent);
  EXPECT_EQ(r.detail, "email sender cannot send a sms message");
  EXPECT_EQ(sink.connections(), 0u);
  // The sender still works afterwards.
  EXPECT_EQ(sender->Send(test::SampleMail(1)).outcome, SendOutcome::kSent);
  EXPECT_EQ(sink.WaitForMessages(1).size(), 1u);
}

TEST_F(SenderTest, AnEmailSenderOverABorrowedMailerPassesItsResultThrough) {
  CountingMailer mailer;
  auto sender = MakeEmailSender(mailer);
  const SendResult r = sender->Send(test::SampleMail(7));
  EXPECT_EQ(r.outcome, SendOutcome::kTransient);
  EXPECT_EQ(r.detail, "try later");
  EXPECT_EQ(mailer.ids, std::vector<std::string>{"<m7@trail.example>"});
}

TEST(SendersTest, EachMessageGoesToTheSenderOfItsChannel) {
  auto email_log = std::make_shared<std::vector<Message>>();
  auto sms_log = std::make_shared<std::vector<Message>>();
  Senders senders;
  senders.Set(std::make_unique<FakeSender>(Channel::kEmail, email_log));
  senders.Set(std::make_unique<FakeSender>(Channel::kSms, sms_log));
  ASSERT_NE(senders.For(Channel::kEmail), nullptr);
  EXPECT_EQ(senders.For(Channel::kEmail)->channel(), Channel::kEmail);
  EXPECT_EQ(senders.For(Channel::kSms)->channel(), Channel::kSms);

  EXPECT_EQ(senders.Send(test::SampleMail(1)).outcome, SendOutcome::kSent);
  EXPECT_EQ(senders.Send(Text()).outcome, SendOutcome::kSent);
  EXPECT_EQ(senders.Send(test::SampleMail(2)).outcome, SendOutcome::kSent);
  ASSERT_EQ(email_log->size(), 2u);
  ASSERT_EQ(sms_log->size(), 1u);
  EXPECT_EQ(std::get<MailMessage>((*email_log)[1]).message_id, "<m2@trail.example>");
  EXPECT_EQ(std::get<TextMessage>((*sms_log)[0]).to, "+4915112345678");
}

TEST(SendersTest, AChannelWithoutASenderIsAPermanentFailure) {
  auto email_log = std::make_shared<std::vector<Message>>();
  Senders senders;
  EXPECT_EQ(senders.For(Channel::kEmail), nullptr);
  EXPECT_EQ(senders.For(Channel::kSms), nullptr);
  const SendResult none = senders.Send(test::SampleMail(1));
  EXPECT_EQ(none.outcome, SendOutcome::kPermanent);
  EXPECT_EQ(none.detail, "no sender for channel email");

  senders.Set(std::make_unique<FakeSender>(Channel::kEmail, email_log));
  const SendResult r = senders.Send(Text());
  EXPECT_EQ(r.outcome, SendOutcome::kPermanent);
  EXPECT_EQ(r.detail, "no sender for channel sms");
  EXPECT_EQ(NoSenderReason(Channel::kSms), "no sender for channel sms");
  EXPECT_TRUE(email_log->empty()) << "a text never reaches the email sender";
}

TEST(SendersTest, SetReplacesTheChannelsSenderAndIgnoresNull) {
  auto first = std::make_shared<std::vector<Message>>();
  auto second = std::make_shared<std::vector<Message>>();
  Senders senders;
  senders.Set(std::make_unique<FakeSender>(Channel::kEmail, first));
  senders.Set(
      std::make_unique<FakeSender>(Channel::kEmail, second, SendResult{SendOutcome::kTransient, "busy"}));
  senders.Set(nullptr);
  const SendResult r = senders.Send(test::SampleMail(1));
  EXPECT_EQ(r.outcome, SendOutcome::kTransient);
  EXPECT_EQ(r.detail, "busy");
  EXPECT_TRUE(first->empty());
  EXPECT_EQ(second->size(), 1u);
  EXPECT_EQ(senders.For(Channel::kSms), nullptr);

  Senders moved = std::move(senders);  // one set per worker thread, moved out of its factory
  EXPECT_EQ(moved.Send(test::SampleMail(2)).detail, "busy");
  EXPECT_EQ(second->size(), 2u);
}

}  // namespace
}  // namespace vouch::delivery
