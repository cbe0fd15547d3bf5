#pragma once
// Text messages coming back: inbound replies (a score 0–10 answers the number's most recent open
// SMS survey; STOP and its synonyms opt the number out at once and are confirmed once; START opts
// it in again) and the gateway's delivery reports on sent jobs. Also the checks of the gateway's
// callbacks: Kannel's shared secret, Twilio's X-Twilio-Signature. Thread-safe; Receive and Report
// block on the store.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/answers.h"
#include "app/config.h"
#include "app/links.h"
#include "base/result.h"
#include "base/time.h"
#include "store/store.h"

namespace vouch::app {

struct InboundSms {
  std::string from;  // the sender's number as the gateway gives it ("+4915112345678", "004915…")
  std::string text;  // UTF-8
};

struct InboundOutcome {
  // "answered", "opted_out", "opted_in", "no_survey" (a score with no open SMS survey),
  // "ignored" (anything else, or a repeated STOP/START), "unknown_number" (not a phone number).
  std::string action;
  std::string reply;  // the text to send back, "" for none (the gateway sends nothing)
};

class SmsInbox {
 public:
  SmsInbox(store::Store& store, const Clock& clock, Answers& answers, const Links& links,
           const AppConfig& config)
      : store_(store), clock_(clock), answers_(answers), links_(links), config_(config) {}

  // Kannel: whether `secret` (from the hook URL) is the configured one; false when none is set.
  bool KannelSecretOk(std::string_view secret) const;
  // Twilio: whether `signature` is base64(HMAC-SHA1(auth token, url + each form parameter's name
  // and value, sorted by name)) for the full `url` Twilio requested; false when no token is set.
  bool TwilioSignatureOk(std::string_view url, std::vector<std::pair<std::string, std::string>> params,
                         std::string_view signature) const;

  Result<InboundOutcome> Receive(const InboundSms& sms);
  // A delivery report on job `job`: delivered, or failed with the gateway's `detail`. false when
  // no sent SMS job has that id (a report for something else: ignored by the caller).
  Result<bool> Report(store::Id job, bool delivered, const std::string& detail);

 private:
  store::Store& store_;
  const Clock& clock_;
  Answers& answers_;
  const Links& links_;
  const AppConfig& config_;
};

// The opt-out notice a marketing text carries where the shop's region requires one ("" else):
// US, CA (TCPA/CTIA, CASL), GB, IE (PECR), FR, DE, AT, AU, NZ. German for DE/AT, else English.
std::string OptOutHint(std::string_view region);

}  // namespace vouch::app
