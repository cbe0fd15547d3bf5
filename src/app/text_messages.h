#pragma once
// The text message a job owes on the SMS channel (used by Messages::Build): the survey's question
// with a short link to its eleven answers, or the promoter's code with the share link; the link
// and the opt-out notice (app/sms.h, OptOutHint) are never cut, the text before them is cut to
// fit three segments. A number that opted out or cannot take texts skips the job; in the
// customer's quiet hours (core/quiet_hours.h) the message is deferred to 09:00 there.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/links.h"
#include "app/messages.h"
#include "base/tz.h"
#include "core/sms_text.h"
#include "store/tx.h"

namespace vouch::app {

inline constexpr int kMaxSmsSegments = 3;

struct TextEnv {
  const Links& links;
  const AppConfig& config;
  Instant now;
};

Result<JobMessage> BuildText(const TextEnv& env, store::ReadTx& tx, const store::Job& job,
                             const store::Shop& shop, const store::Customer& customer,
                             const std::optional<store::Survey>& survey,
                             const std::optional<store::ReferralCode>& code);

// A text template ("survey.sms", "activation.sms") rendered for the template preview with sample
// values (first name "Ana", code "ANNA-7K3F", a real-length link and the shop's opt-out notice),
// fitted as a real text is, and measured. kInvalidArgument (field "name") for another name.
struct TextPreview {
  std::string text;
  core::SmsShape shape;
};
Result<TextPreview> PreviewText(const Links& links, const store::Shop& shop, const std::string& locale,
                                const std::string& name, const std::map<std::string, std::string>& overrides);

// The zones the customer of E.164 `phone` may be in: the number's region's, else the shop's
// `default_region`'s; none when neither is known (no quiet hours then).
std::vector<std::shared_ptr<const TimeZone>> CustomerZones(const std::string& phone,
                                                           const std::string& default_region);

}  // namespace vouch::app
