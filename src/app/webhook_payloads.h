#pragma once
// The body of one webhook delivery, built from the store as it stands when it is sent: for a
// standard endpoint Standard Webhooks' JSON ({"type", "timestamp", "data"}), for Slack an
// incoming-webhook message ({"text", "blocks"}) a person reads. Reads only; thread-safe.
#include <string>

#include "base/result.h"
#include "store/store.h"

namespace vouch::app {

// A body, or (`body` empty) why the delivery is moot: what it is about no longer exists.
struct WebhookBody {
  std::string body;
  std::string skip_reason;
};

// `dashboard_url`: the public URL the Slack message links to ("https://vouch.example").
Result<WebhookBody> BuildWebhookBody(store::ReadTx& tx, const store::WebhookDelivery& delivery,
                                     store::WebhookKind kind, const std::string& dashboard_url);

}  // namespace vouch::app
