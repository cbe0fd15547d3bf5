#pragma once
// Outgoing mail. A Mailer is owned and used by one worker thread at a time (not thread-safe);
// implementations keep their connection open between messages and reopen it when it drops.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "base/time.h"

namespace vouch::delivery {

struct MailMessage {
  std::string from_name;     // display name, may be UTF-8 ("Trail Shop")
  std::string from_address;  // envelope and header sender ("noreply@trail.example")
  std::string to_name;       // may be empty
  std::string to_address;
  std::string subject;     // UTF-8; encoded as RFC 2047 when not plain ASCII
  std::string text;        // text/plain part, UTF-8
  std::string html;        // text/html part, UTF-8; may be empty (then text only)
  std::string message_id;  // "<id@host>": stable per cause, so a resend carries the same one
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. List-Unsubscribe
};

enum class SendOutcome {
  kSent,       // the server accepted the message (250 after DATA)
  kTransient,  // connection failure, timeout or 4xx: retry later
  kPermanent,  // 5xx: the message will never be accepted as it is
};

struct SendResult {
  SendOutcome outcome = SendOutcome::kTransient;
  std::string detail;  // server reply or transport error, for the job's last_error
};

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
