#pragma once
// A shop's outgoing webhook endpoints and the deliveries owed to them.
// Plain records; time as Instant (UTC).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "store/records/id.h"

namespace vouch::store {

// kStandard: a signed JSON body (Standard Webhooks); kSlack: a Slack incoming webhook's message.
// Stored as "standard", "slack".
enum class WebhookKind { kStandard, kSlack };
const char* WebhookKindName(WebhookKind k);
std::optional<WebhookKind> ParseWebhookKind(std::string_view s);

struct WebhookEndpoint {
  Id id = 0;
  Id shop_id = 0;
  std::string url;
  WebhookKind kind = WebhookKind::kStandard;
  std::vector<std::string> events;  // event types, e.g. "detractor.created"
  std::string secret;               // "whsec_<base64>": signs; kept as created, never shown back
  Instant created_at{};
  std::optional<Instant> failing_since;  // first failed attempt since the last success
  std::optional<Instant> disabled_at;    // failing for too long: nothing is sent any more
  std::string last_error;                // the last failed attempt's reason
};

// One event owed to one endpoint: what happened (`event_type` about `ref_id`: a survey, referral
// code, referral or reward) and when; its body is built from the store when it is sent.
struct WebhookDelivery {
  Id id = 0;
  Id shop_id = 0;
  Id endpoint_id = 0;
  std::string event_type;
  Id ref_id = 0;
  std::string message_id;  // "msg_…": the webhook-id header, the same on every attempt
  Instant created_at{};
};

}  // namespace vouch::store
