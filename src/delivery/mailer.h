#pragma once
// Outgoing mail. A Mailer is owned and used by one worker thread at a time (not thread-safe);
// implementations keep their connection open between messages and reopen it when it drops.
// The worker reaches a Mailer through the email channel's Sender (delivery/sender.h).
#include <memory>
#include <string>

#include "base/result.h"
#include "base/time.h"
#include "delivery/message.h"

namespace vouch::delivery {

class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual SendResult Send(const MailMessage& message) = 0;
};

// Renders the message as RFC 5322 text with CRLF line ends: multipart/alternative (text + HTML)
// with base64 bodies (text only when `html` is empty), a Date header from `date`, MIME-Version,
// and the extra headers. Non-ASCII display names and subjects become RFC 2047 encoded words;
// long headers are folded. CR and LF inside any header value are removed, so no value can add a
// header; extra headers named like one ComposeMime writes (From, Subject, Content-Type, ...) are
// dropped. An empty message_id gets a random one in the sender's domain. Thread-safe.
std::string ComposeMime(const MailMessage& message, Instant date);

struct SmtpConfig {
  // smtp://host:port (plain, STARTTLS when `starttls`), smtps://host:port (implicit TLS).
  // user:pass@ in the URL are used for AUTH.
  std::string url;
  bool starttls = false;    // require STARTTLS on smtp://
  bool verify_peer = true;  // verify the server's certificate on TLS
  long timeout_seconds = 30;
  std::string helo_domain = "localhost";
};

// Checks the config at start-up: an smtp:// or smtps:// URL with a host, a sane timeout.
// kInvalidArgument (field "smtp.url" or "smtp.timeout_seconds") otherwise.
Status ValidateSmtpConfig(const SmtpConfig& config);

// One libcurl handle for the Mailer's life: the SMTP connection is reused across Send calls and
// reopened when the server has dropped it. A 5xx reply is kPermanent with the reply in `detail`,
// except failed or missing AUTH (535, 530) and TLS required (530); those, 4xx, TLS and transport
// errors are kTransient. An invalid config makes every Send kTransient (fix the config, the
// queue retries). `detail` never contains the password.
std::unique_ptr<Mailer> MakeSmtpMailer(const SmtpConfig& config, const Clock& clock);
// Writes each message as <dir>/<sanitised message id>.eml; for `vouch demo` and local trials.
std::unique_ptr<Mailer> MakeFileMailer(std::string dir, const Clock& clock);

}  // namespace vouch::delivery
