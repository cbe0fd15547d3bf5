#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "base/time.h"
#include "delivery/mailer.h"
#include "support/sample_mail.h"
#include "support/smtp_sink.h"

namespace vouch::delivery {
namespace {

using test::SmtpSink;
using namespace std::chrono_literals;

const Instant kNow = FromUnixMillis(1795169700000);

SmtpConfig Config(const std::string& url) {
  SmtpConfig c;
  c.url = url;
  c.timeout_seconds = 10;
  return c;
}

// A socket bound to a free loopback port (written to `port`), listening when `listening`;
// -1 when it could not be had.
int BoundOnLoopback(int& port, bool listening) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || (listening && listen(fd, 4) != 0) ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return -1;
  }
  port = ntohs(addr.sin_port);
  return fd;
}

// A listening socket that never answers unless the test does: its connections complete in the
// kernel's backlog.
int ListenOnLoopback(int& port) { return BoundOnLoopback(port, true); }

// A port with nothing listening: bound to get a free number, then closed.
uint16_t ClosedPort() {
  int port = 0;
  const int fd = BoundOnLoopback(port, false);
  if (fd >= 0) close(fd);
  return static_cast<uint16_t>(port);
}

class SmtpMailerTest : public ::testing::Test {
 protected:
  FakeClock clock_{kNow};
};

TEST_F(SmtpMailerTest, DeliversSeveralMessagesOverOneConnection) {
  SmtpSink sink;
  auto mailer = MakeSmtpMailer(Config(sink.url()), clock_);
  for (int i = 1; i <= 3; ++i) {
    const SendResult r = mailer->Send(test::SampleMail(i));
    EXPECT_EQ(r.outcome, SendOutcome::kSent) << r.detail;
    EXPECT_TRUE(r.detail.starts_with("250")) << r.detail;
  }
  const std::vector<std::string> got = sink.WaitForMessages(3);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(sink.connections(), 1u) << "the connection is reused";
  const std::vector<SmtpSink::Envelope> envelopes = sink.Envelopes();
  ASSERT_EQ(envelopes.size(), 3u);
  for (int i = 1; i <= 3; ++i) {
    const std::string& text = got[static_cast<size_t>(i - 1)];
    EXPECT_NE(text.find("Subject: Message " + std::to_string(i) + "\r\n"), std::string::npos);
    EXPECT_NE(text.find("Message-ID: <m" + std::to_string(i) + "@trail.example>\r\n"), std::string::npos);
    EXPECT_NE(text.find("Date: Fri, 20 Nov 2026 10:15:00 +0000\r\n"), std::string::npos);
    EXPECT_EQ(envelopes[static_cast<size_t>(i - 1)].mail_from, "noreply@trail.example");
    EXPECT_EQ(envelopes[static_cast<size_t>(i - 1)].rcpt_to,
              std::vector<std::string>{"customer" + std::to_string(i) + "@example.org"});
  }
}

TEST_F(SmtpMailerTest, MessageArrivesByteForByte) {
  SmtpSink sink;
  auto mailer = MakeSmtpMailer(Config(sink.url()), clock_);
  MailMessage m = test::SampleMail(1);
  m.html.clear();  // no random boundary: the text is predictable
  m.text = ".starts with a dot\n.\nand a lone dot line\n";
  ASSERT_EQ(mailer->Send(m).outcome, SendOutcome::kSent);
  const std::vector<std::string> got = sink.WaitForMessages(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], ComposeMime(m, kNow));
}

TEST_F(SmtpMailerTest, ServerRepliesAreClassified) {
  struct Case {
    SmtpSink::Options options;
    SendOutcome want;
    std::string reply;
  };
  auto rcpt = [](int code) {
    SmtpSink::Options o;
    o.rcpt_reply = code;
    return o;
  };
  auto data = [](int code) {
    SmtpSink::Options o;
    o.data_reply = code;
    return o;
  };
  const std::vector<Case> cases = {
      {rcpt(550), SendOutcome::kPermanent, "550 5.1.1 Rejected by test sink (after RCPT)"},
      {rcpt(451), SendOutcome::kTransient, "451 4.3.0 Temporary failure (test sink)"},
      {data(554), SendOutcome::kPermanent, "554 5.1.1 Rejected by test sink"},
      {data(452), SendOutcome::kTransient, "452 4.3.0 Temporary failure (test sink)"},
  };
  for (const Case& c : cases) {
    SmtpSink sink(c.options);
    auto mailer = MakeSmtpMailer(Config(sink.url()), clock_);
    const SendResult r = mailer->Send(test::SampleMail(1));
    EXPECT_EQ(r.outcome, c.want) << r.detail;
    EXPECT_NE(r.detail.find(c.reply), std::string::npos) << r.detail;
    EXPECT_TRUE(sink.Messages().empty());
  }
}

TEST_F(SmtpMailerTest, ClosedPortIsTransient) {
  auto mailer = MakeSmtpMailer(Config("smtp://127.0.0.1:" + std::to_string(ClosedPort())), clock_);
  const SendResult r = mailer->Send(test::SampleMail(1));
  EXPECT_EQ(r.outcome, SendOutcome::kTransient);
  EXPECT_FALSE(r.detail.empty());
}

TEST_F(SmtpMailerTest, SilentServerTimesOutAsTransient) {
  // Connections complete in the kernel's backlog, but no greeting ever comes.
  int port = 0;
  const int fd = ListenOnLoopback(port);
  ASSERT_GE(fd, 0);
  SmtpConfig config = Config("smtp://127.0.0.1:" + std::to_string(port));
  config.timeout_seconds = 1;
  auto mailer = MakeSmtpMailer(config, clock_);
  const auto start = std::chrono::steady_clock::now();
  const SendResult r = mailer->Send(test::SampleMail(1));
  EXPECT_EQ(r.outcome, SendOutcome::kTransient);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  close(fd);
}

TEST_F(SmtpMailerTest, ARelayRefusingOneMoreConnectionIsTransient) {
  // A relay at its limit of connections per client greets with 421 and closes (Postfix:
  // smtpd_client_connection_count_limit): the message waits for a retry, it is not failed.
  int port = 0;
  const int fd = ListenOnLoopback(port);
  ASSERT_GE(fd, 0);
  std::thread relay([fd] {
    const int c = accept(fd, nullptr, nullptr);
    if (c < 0) return;
    const std::string busy = "421 4.7.0 Error: too many connections from 127.0.0.1\r\n";
    EXPECT_EQ(write(c, busy.data(), busy.size()), static_cast<ssize_t>(busy.size()));
    close(c);
  });
  auto mailer = MakeSmtpMailer(Config("smtp://127.0.0.1:" + std::to_string(port)), clock_);
  const SendResult r = mailer->Send(test::SampleMail(1));
  relay.join();
  close(fd);
  EXPECT_EQ(r.outcome, SendOutcome::kTransient) << r.detail;
  EXPECT_NE(r.detail.find("421"), std::string::npos) << r.detail;
}

TEST_F(SmtpMailerTest, ReconnectsAfterTheServerRestarted) {
  SmtpSink sink;
  auto mailer = MakeSmtpMailer(Config(sink.url()), clock_);
  ASSERT_EQ(mailer->Send(test::SampleMail(1)).outcome, SendOutcome::kSent);
  ASSERT_EQ(sink.WaitForMessages(1).size(), 1u);
  sink.Restart();  // the mailer's open connection is now dead
  const SendResult r = mailer->Send(test::SampleMail(2));
  EXPECT_EQ(r.outcome, SendOutcome::kSent) << r.detail;
  const std::vector<std::string> got = sink.WaitForMessages(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_NE(got[1].find("Subject: Message 2\r\n"), std::string::npos);
  EXPECT_EQ(sink.connections(), 2u);
}

TEST_F(SmtpMailerTest, ServerDownThenBackUp) {
  SmtpSink sink;
  auto mailer = MakeSmtpMailer(Config(sink.url()), clock_);
  ASSERT_EQ(mailer->Send(test::SampleMail(1)).outcome, SendOutcome::kSent);
  sink.Stop();
  EXPECT_EQ(mailer->Send(test::SampleMail(2)).outcome, SendOutcome::kTransient);
  sink.Restart();
  const SendResult r = mailer->Send(test::SampleMail(2));
  EXPECT_EQ(r.outcome, SendOutcome::kSent) << r.detail;
  EXPECT_EQ(sink.WaitForMessages(2).size(), 2u);
}

TEST_F(SmtpMailerTest, CredentialsFromTheUrlAreUsedForAuth) {
  SmtpSink::Options options;
  options.auth = "vouch:p@ss word";
  SmtpSink sink(options);
  const std::string hostport = sink.url().substr(std::string("smtp://").size());
  struct Case {
    std::string userinfo;
    SendOutcome want;
    std::string detail;
  };
  // Failed or missing credentials are a config problem: retry once it is fixed. The details
  // name the command, never what was sent with it (the credentials).
  const std::vector<Case> cases = {
      {"vouch:p%40ss%20word@", SendOutcome::kSent, "250 2.0.0 Accepted as message 1 (after DATA)"},
      {"vouch:wrong@", SendOutcome::kTransient,
       "SMTP authentication failed: 535 5.7.8 Authentication credentials invalid (after AUTH)"},
      {"", SendOutcome::kTransient, "530 5.7.0 Authentication required (after MAIL)"},
  };
  for (const Case& c : cases) {
    auto mailer = MakeSmtpMailer(Config("smtp://" + c.userinfo + hostport), clock_);
    const SendResult r = mailer->Send(test::SampleMail(1));
    EXPECT_EQ(r.outcome, c.want) << c.userinfo << ": " << r.detail;
    EXPECT_EQ(r.detail, c.detail) << c.userinfo;
  }
  EXPECT_EQ(sink.WaitForMessages(1).size(), 1u);
}

TEST_F(SmtpMailerTest, StartTlsIsRequiredAndCertificatesAreChecked) {
  SmtpSink::Options options;
  options.starttls = true;
  SmtpSink sink(options);
  SmtpConfig config = Config(sink.url());
  config.starttls = true;
  config.verify_peer = false;
  EXPECT_EQ(MakeSmtpMailer(config, clock_)->Send(test::SampleMail(1)).outcome, SendOutcome::kSent);

  config.verify_peer = true;  // the sink's certificate is self-signed
  const SendResult r = MakeSmtpMailer(config, clock_)->Send(test::SampleMail(2));
  EXPECT_EQ(r.outcome, SendOutcome::kTransient) << r.detail;
  EXPECT_EQ(sink.WaitForMessages(1).size(), 1u);
}

TEST_F(SmtpMailerTest, InvalidConfigIsReportedNotSent) {
  struct Case {
    std::string url;
    long timeout;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"http://mail.example", 30, "smtp.url"},
      {"not a url", 30, "smtp.url"},
      {"smtp://", 30, "smtp.url"},
      {"smtp://mail.example:25", 0, "smtp.timeout_seconds"},
  };
  for (const Case& c : cases) {
    SmtpConfig config = Config(c.url);
    config.timeout_seconds = c.timeout;
    const Status valid = ValidateSmtpConfig(config);
    ASSERT_FALSE(valid.ok()) << c.url;
    EXPECT_EQ(valid.error().field, c.field) << c.url;
    const SendResult r = MakeSmtpMailer(config, clock_)->Send(test::SampleMail(1));
    EXPECT_EQ(r.outcome, SendOutcome::kTransient);
    EXPECT_NE(r.detail.find("invalid SMTP config"), std::string::npos) << r.detail;
  }
  for (const std::string url :
       {"smtp://mail.example", "smtps://u:p@mail.example:465", "smtp://mail.example:587/client.example"}) {
    EXPECT_TRUE(ValidateSmtpConfig(Config(url)).ok()) << url;
  }
}

}  // namespace
}  // namespace vouch::delivery
