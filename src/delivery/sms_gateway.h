#pragma once
// SMS gateways: the SMS Sender over Kannel's smsbox (HTTP sendsms, delivery reports to a dlr-url)
// or a Twilio-compatible REST API (POST .../Messages.json, delivery reports to a StatusCallback).
// Both report back to Vouch's /hooks/kannel/dlr and /hooks/twilio (api/routes_sms.cc).
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "delivery/sender.h"

namespace vouch::delivery {

enum class SmsGatewayKind { kKannel, kTwilio };

struct SmsGatewayConfig {
  SmsGatewayKind kind = SmsGatewayKind::kKannel;
  std::string base;           // "http://127.0.0.1:13013" (Kannel), "https://api.twilio.com" (Twilio)
  std::string user;           // Kannel sendsms-user username; Twilio Account SID
  std::string password;       // Kannel password; Twilio Auth Token
  std::string from;           // sender: a number, a name, or (Twilio) a Messaging Service SID "MG…"
  std::string callback_base;  // Vouch's public URL, without a trailing '/'
  std::string hook_secret;    // Kannel: the secret carried in the dlr-url and the get-url
  long timeout_seconds = 30;
};

// Parses `kannel://user:pass@host:port`, `twilio://SID:TOKEN@host[:port]` (HTTPS) or
// `twilio+http://SID:TOKEN@host:port` into kind, base, user and password (percent-decoded).
// kInvalidArgument with field `field` otherwise.
Result<SmsGatewayConfig> ParseSmsUrl(std::string_view url, const std::string& field);

// The SMS Sender over the gateway. Send: kSent when the gateway took the message (Kannel 202/200,
// Twilio 201/200); kTransient on transport errors, timeouts, 401/403 (credentials: a config
// error), 429 and 5xx; kPermanent on any other 4xx (the number or text is refused), with the
// gateway's status and body in `detail`. One per worker thread; keeps its connection open.
std::unique_ptr<Sender> MakeSmsSender(SmsGatewayConfig config);

// The query of Kannel's sendsms request for `message` (without base and path), for tests and
// logs: username, password, from, to, text (UTF-8), charset, coding (0 GSM-7, 2 UCS-2),
// dlr-mask 19 (delivered, not delivered, rejected by the SMSC) and the dlr-url.
std::string KannelSendQuery(const SmsGatewayConfig& config, const TextMessage& message);
// The form body of Twilio's Messages.json request for `message`: To, From or
// MessagingServiceSid, Body, StatusCallback.
std::string TwilioSendForm(const SmsGatewayConfig& config, const TextMessage& message);

}  // namespace vouch::delivery
