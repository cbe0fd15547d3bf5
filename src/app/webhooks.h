#pragma once
// Outgoing webhooks: a shop's endpoints (a URL, the events it wants, kind standard or slack) and
// the events that happen in Vouch delivered to them by the durable job queue.
//
// An event is emitted inside the use case's own write transaction (EmitInTx): one
// webhook_deliveries row and one `webhook` job per endpoint of the shop that wants it, so an
// event is owed exactly when its fact is stored. Which endpoints a shop has is cached per node
// for a few seconds (dropped at once on this node when one is created or deleted), so a shop
// without endpoints costs a hot path one map look-up and no statement.
//
// A `webhook` job (Run, called by the workers) builds the body from the store as it stands
// (app/webhook_payloads.h), signs it as Standard Webhooks says (webhook-id: the delivery's
// message id, the same on every attempt; webhook-timestamp: seconds; webhook-signature:
// "v1,<base64 HMAC-SHA256 of "id.timestamp.body" under the secret's key>") or, for Slack, posts
// a readable message, and records the outcome with the job: done on a 2xx; otherwise retried
// with exponential backoff (30 s doubling, at most 4 h apart) until 24 hours after the event,
// then failed with the last reason (visible at /api/v1/jobs and on the endpoint). An endpoint
// whose attempts have all failed for 5 days is disabled, and the shop's admins are mailed
// (JobKind::kWebhookDisabled).
//
// Thread-safe. Errors: kInvalidArgument naming the field, kNotFound, store errors.
#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/config.h"
#include "base/result.h"
#include "base/time.h"
#include "store/store.h"

namespace vouch::app {

// Every event an endpoint may ask for.
inline constexpr std::array<std::string_view, 9> kWebhookEvents = {
    "response.created",  "detractor.created", "promoter.activated", "referral.created",  "referral.qualified",
    "referral.rejected", "reward.released",   "reward.voided",      "reward.clawed_back"};

// How long answers' events wait before they are sent, so the comment a customer writes on the
// thank-you page right after the click comes along.
inline constexpr Millis kResponseEventDelay{5 * 60 * 1000};
// Attempts go on for this long after the event, then the delivery fails.
inline constexpr Millis kWebhookRetryWindow{24 * 3600 * 1000};
// An endpoint failing for this long is disabled.
inline constexpr Millis kWebhookDisableAfter{5 * 24 * 3600 * 1000};

// An endpoint as created: the endpoint and its signing secret, shown this once.
struct CreatedWebhook {
  store::WebhookEndpoint endpoint;
  std::string secret;  // "whsec_<base64 of 24 random bytes>"; empty for Slack
};

class Webhooks {
 public:
  Webhooks(store::Store& store, const Clock& clock, AppConfig config);

  // A new endpoint: `url` (http or https; refused when it resolves to a private address unless
  // the server allows it), `kind` ("standard" or "slack"; "" is standard), `events` (at least
  // one of kWebhookEvents, each once).
  Result<CreatedWebhook> Create(store::Id shop, const std::string& url, const std::string& kind,
                                const std::vector<std::string>& events);
  Result<std::vector<store::WebhookEndpoint>> List(store::Id shop);
  // kNotFound when the shop has no such endpoint.
  Status Delete(store::Id shop, store::Id endpoint);

  // In the caller's write transaction: a delivery and its job (due at now + delay) for each
  // enabled endpoint of `shop` that wants `type`, about `ref`.
  Status EmitInTx(store::Tx& tx, store::Id shop, std::string_view type, store::Id ref, Instant now,
                  Millis delay = Millis{0});

  // What a `webhook` job does, its outcome recorded with the job (never an error: a failure to
  // record leaves the job to come back when its lease runs out).
  void Run(const store::Job& job);

  // The wait after `attempts` failed attempts.
  static Millis Backoff(int attempts);
  // Standard Webhooks' signature header value for `secret` ("whsec_…").
  static std::string Sign(const std::string& secret, const std::string& id, int64_t timestamp,
                          std::string_view body);

 private:
  struct Cached {
    Instant fetched{};
    std::vector<store::WebhookEndpoint> endpoints;  // enabled only, without secrets
  };
  Result<std::vector<store::WebhookEndpoint>> EndpointsInTx(store::Tx& tx, store::Id shop, Instant now);
  void Forget(store::Id shop);

  store::Store& store_;
  const Clock& clock_;
  const AppConfig config_;
  std::mutex mu_;
  std::map<store::Id, Cached> cache_;
};

}  // namespace vouch::app
