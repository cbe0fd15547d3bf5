#include "app/sms.h"

#include <algorithm>

#include "base/crypto.h"
#include "base/log.h"
#include "core/sms_reply.h"
#include "core/validate.h"

namespace vouch::app {
namespace {

// The sender as E.164: gateways give "+49…", "0049…" or "49…".
Result<std::string> SenderNumber(std::string_view from) {
  std::string digits(from);
  if (digits.rfind("00", 0) == 0) digits = "+" + digits.substr(2);
  if (!digits.empty() && digits[0] != '+') digits = "+" + digits;
  return core::NormalizePhone(digits, "from");
}

bool GermanSpeaking(std::string_view region) { return region == "DE" || region == "AT" || region == "CH"; }

}  // namespace

std::string OptOutHint(std::string_view region) {
  static constexpr std::string_view kRequired[] = {"US", "CA", "GB", "IE", "FR", "DE", "AT", "AU", "NZ"};
  if (std::find(std::begin(kRequired), std::end(kRequired), region) == std::end(kRequired)) return "";
  return GermanSpeaking(region) ? " STOP zum Abmelden" : " Reply STOP to opt out";
}

bool SmsInbox::KannelSecretOk(std::string_view secret) const {
  return config_.sms_gateway == "kannel" && !config_.sms_hook_secret.empty() &&
         ConstantTimeEqual(secret, config_.sms_hook_secret);
}

bool SmsInbox::TwilioSignatureOk(std::string_view url,
                                 std::vector<std::pair<std::string, std::string>> params,
                                 std::string_view signature) const {
  if (config_.sms_gateway != "twilio" || config_.sms_hook_secret.empty()) return false;
  std::stable_sort(params.begin(), params.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string data(url);
  for (const auto& [name, value] : params) data += name + value;
  return ConstantTimeEqual(Base64(HmacSha1(config_.sms_hook_secret, data)), signature);
}

Result<InboundOutcome> SmsInbox::Receive(const InboundSms& sms) {
  auto phone = SenderNumber(sms.from);
  if (!phone) return InboundOutcome{"unknown_number", ""};
  const core::SmsReply reply = core::ParseSmsReply(sms.text);
  const bool german = GermanSpeaking(core::DescribePhone(*phone).region);
  const Instant now = clock_.Now();
  switch (reply.kind) {
    case core::SmsReplyKind::kStop: {
      auto fresh = store_.Write<bool>([&](store::Tx& tx) { return tx.sms().OptOut(*phone, now); });
      if (!fresh) return fresh.error();
      Log(LogLevel::kInfo, "sms.opted_out", {{"new", *fresh ? "true" : "false"}});
      if (!*fresh) return InboundOutcome{"ignored", ""};
      return InboundOutcome{"opted_out",
                            german ? "Sie erhalten keine SMS mehr von uns. START meldet Sie wieder an."
                                   : "You will get no more texts from us. Reply START to resubscribe."};
    }
    case core::SmsReplyKind::kStart: {
      auto was = store_.Write<bool>([&](store::Tx& tx) { return tx.sms().OptIn(*phone); });
      if (!was) return was.error();
      if (!*was) return InboundOutcome{"ignored", ""};
      return InboundOutcome{"opted_in", german ? "Sie sind wieder angemeldet. STOP meldet Sie ab."
                                               : "You are subscribed again. Reply STOP to opt out."};
    }
    case core::SmsReplyKind::kScore: {
      auto survey = store_.Read<std::optional<store::Id>>(
          [&](store::ReadTx& tx) { return tx.sms().LatestOpenSurvey(*phone); });
      if (!survey) return survey.error();
      if (!survey->has_value()) return InboundOutcome{"no_survey", ""};
      // A reply is typed by a person: the answer counts at once, like a confirmed click.
      auto answered = answers_.Confirm(links_.SurveyToken(**survey), reply.score);
      if (!answered) return answered.error();
      return InboundOutcome{"answered", ""};
    }
    case core::SmsReplyKind::kOther: break;
  }
  return InboundOutcome{"ignored", ""};
}

Result<bool> SmsInbox::Report(store::Id job, bool delivered, const std::string& detail) {
  const Instant now = clock_.Now();
  return store_.Write<bool>(
      [&](store::Tx& tx) { return tx.sms().RecordDelivery(job, delivered, detail, now); });
}

}  // namespace vouch::app
