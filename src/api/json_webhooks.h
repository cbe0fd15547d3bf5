#pragma once
// Outgoing webhook endpoints in JSON: the body that creates one, the list, one as created with
// its secret. Never a secret in the list; a Slack URL (itself a secret) only masked. Pure
// functions, thread-safe.
#include <string>
#include <string_view>
#include <vector>

#include "app/webhooks.h"
#include "base/result.h"

namespace vouch::api {

struct NewWebhookBody {
  std::string url;
  std::string kind;  // "" when not given
  std::vector<std::string> events;
};

// {"url": "https://…", "events": ["detractor.created", …], "kind": "standard"|"slack"}
Result<NewWebhookBody> ParseNewWebhook(std::string_view body);
// {"webhooks":[{"id","url","kind","events","status","created_at","failing_since","disabled_at",
// "last_error"}]}; status: "active", "failing" or "disabled".
std::string WebhooksJson(const std::vector<store::WebhookEndpoint>& endpoints);
// {"webhook":{…as listed},"secret":"whsec_…"|null}
std::string CreatedWebhookJson(const app::CreatedWebhook& w);

}  // namespace vouch::api
