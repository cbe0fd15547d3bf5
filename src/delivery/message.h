#pragma once
// What a job sends: one message on one channel. A MailMessage goes by email, a TextMessage by
// SMS; a Message is either. Plain values: copy and share them freely.
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/channel.h"

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
  std::vector<std::string> cc;  // more recipients, each an address (a shop's other admins)
};

// A text message for an SMS gateway (delivery/sms_gateway.h).
struct TextMessage {
  std::string from;  // sender: an alphanumeric sender id ("TrailShop") or an E.164 number
  std::string to;    // recipient, E.164 ("+4915112345678")
  std::string body;  // UTF-8; the gateway splits it into segments
  // Stable per cause ("vouch.survey.12.3@host"), like a mail's Message-ID: a resend after a crash
  // carries the same one, for gateways that de-duplicate or report by client reference.
  std::string reference;
  // The job it is sent for: the gateway's delivery reports name it (dlr-url, StatusCallback).
  int64_t job_id = 0;
};

using Message = std::variant<MailMessage, TextMessage>;

// The channel a message goes on: email for a MailMessage, SMS for a TextMessage.
inline core::Channel ChannelOf(const Message& message) {
  return std::holds_alternative<MailMessage>(message) ? core::Channel::kEmail : core::Channel::kSms;
}

// The message's stable id, for logs: the mail's Message-ID or the text's reference.
inline const std::string& MessageIdOf(const Message& message) {
  if (const auto* mail = std::get_if<MailMessage>(&message)) return mail->message_id;
  return std::get<TextMessage>(message).reference;
}

enum class SendOutcome {
  kSent,       // the server accepted the message (250 after DATA)
  kTransient,  // connection failure, timeout or 4xx: retry later
  kPermanent,  // 5xx: the message will never be accepted as it is
};

struct SendResult {
  SendOutcome outcome = SendOutcome::kTransient;
  std::string detail;  // server reply or transport error, for the job's last_error
};

}  // namespace vouch::delivery
