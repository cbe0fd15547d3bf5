#include "app/webhooks.h"

#include <algorithm>
#include <set>

#include "app/webhook_payloads.h"
#include "base/crypto.h"
#include "base/log.h"
#include "delivery/http_post.h"

namespace vouch::app {
namespace {

// How long a node trusts its list of a shop's endpoints (another node's change shows after this).
constexpr Millis kCacheFor{5'000};
constexpr size_t kMaxEndpoints = 20;

bool Wants(const store::WebhookEndpoint& e, std::string_view type) {
  return std::find(e.events.begin(), e.events.end(), type) != e.events.end();
}

Result<std::vector<std::string>> CheckEvents(const std::vector<std::string>& events) {
  if (events.empty()) return InvalidArgument("events", "must name at least one event");
  std::set<std::string> seen;
  for (size_t i = 0; i < events.size(); ++i) {
    const std::string path = "events[" + std::to_string(i) + "]";
    if (std::find(kWebhookEvents.begin(), kWebhookEvents.end(), events[i]) == kWebhookEvents.end()) {
      return InvalidArgument(path,
                             "is not an event Vouch sends (response.created, detractor.created, "
                             "promoter.activated, referral.created, referral.qualified, "
                             "referral.rejected, reward.released, reward.voided, reward.clawed_back)");
    }
    if (!seen.insert(events[i]).second) return InvalidArgument(path, "is named twice");
  }
  return events;
}

}  // namespace

Webhooks::Webhooks(store::Store& store, const Clock& clock, AppConfig config)
    : store_(store), clock_(clock), config_(std::move(config)) {}

Millis Webhooks::Backoff(int attempts) {
  Millis d{30'000};
  for (int i = 1; i < attempts && d < Millis{4 * 3600 * 1000}; ++i) d *= 2;
  return std::min(d, Millis{4 * 3600 * 1000});
}

std::string Webhooks::Sign(const std::string& secret, const std::string& id, int64_t timestamp,
                           std::string_view body) {
  // The key is the base64 after "whsec_" (Standard Webhooks); our secrets are always that form.
  std::string url_form;
  for (char c : std::string_view(secret).substr(secret.rfind('_') + 1)) {
    if (c == '=') break;
    url_form += c == '+' ? '-' : c == '/' ? '_' : c;
  }
  std::string key;
  if (!Base64UrlDecode(url_form, key)) key = secret;
  std::string signed_content = id + "." + std::to_string(timestamp) + ".";
  signed_content.append(body);
  return "v1," + Base64(HmacSha256(key, signed_content));
}

Result<CreatedWebhook> Webhooks::Create(store::Id shop, const std::string& url, const std::string& kind,
                                        const std::vector<std::string>& events) {
  const auto k = kind.empty() ? std::optional(store::WebhookKind::kStandard) : store::ParseWebhookKind(kind);
  if (!k) return InvalidArgument("kind", "must be standard or slack");
  VOUCH_TRY(delivery::CheckPostUrl(url, config_.webhooks_allow_private, "url"));
  if (*k == store::WebhookKind::kSlack && url.rfind("https://", 0) != 0 && !config_.webhooks_allow_private) {
    return InvalidArgument("url", "must be an https URL (a Slack incoming webhook)");
  }
  auto checked = CheckEvents(events);
  if (!checked) return checked.error();
  CreatedWebhook out;
  store::WebhookEndpoint& e = out.endpoint;
  e.shop_id = shop;
  e.url = url;
  e.kind = *k;
  e.events = std::move(*checked);
  e.created_at = clock_.Now();
  e.secret = "whsec_" + Base64(RandomBytes(24));
  if (*k == store::WebhookKind::kStandard) out.secret = e.secret;
  auto id = store_.Write<store::Id>([&](store::Tx& tx) -> Result<store::Id> {
    auto existing = tx.webhooks().ListEndpoints(shop);
    if (!existing) return existing.error();
    if (existing->size() >= kMaxEndpoints)
      return InvalidArgument("url", "a shop may have at most 20 endpoints");
    return tx.webhooks().InsertEndpoint(e);
  });
  if (!id) return id.error();
  e.id = *id;
  Forget(shop);
  return out;
}

Result<std::vector<store::WebhookEndpoint>> Webhooks::List(store::Id shop) {
  return store_.Read<std::vector<store::WebhookEndpoint>>(
      [&](store::ReadTx& tx) { return tx.webhooks().ListEndpoints(shop); });
}

Status Webhooks::Delete(store::Id shop, store::Id endpoint) {
  auto gone = store_.Write<bool>([&](store::Tx& tx) { return tx.webhooks().DeleteEndpoint(shop, endpoint); });
  if (!gone) return gone.error();
  Forget(shop);
  if (!*gone) return Error{Code::kNotFound, "no such webhook endpoint", "id"};
  return OkStatus();
}

void Webhooks::Forget(store::Id shop) {
  std::lock_guard lock(mu_);
  cache_.erase(shop);
}

Result<std::vector<store::WebhookEndpoint>> Webhooks::EndpointsInTx(store::Tx& tx, store::Id shop,
                                                                    Instant now) {
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(shop);
    if (it != cache_.end() && now - it->second.fetched < kCacheFor && now >= it->second.fetched) {
      return it->second.endpoints;
    }
  }
  auto all = tx.webhooks().ListEndpoints(shop);
  if (!all) return all.error();
  Cached c;
  c.fetched = now;
  for (auto& e : *all) {
    if (e.disabled_at) continue;
    e.secret.clear();
    c.endpoints.push_back(std::move(e));
  }
  std::lock_guard lock(mu_);
  cache_[shop] = c;
  return c.endpoints;
}

Status Webhooks::EmitInTx(store::Tx& tx, store::Id shop, std::string_view type, store::Id ref, Instant now,
                          Millis delay) {
  auto endpoints = EndpointsInTx(tx, shop, now);
  if (!endpoints) return endpoints.error();
  for (const auto& e : *endpoints) {
    if (!Wants(e, type)) continue;
    store::WebhookDelivery d;
    d.shop_id = shop;
    d.endpoint_id = e.id;
    d.event_type = std::string(type);
    d.ref_id = ref;
    d.message_id = "msg_" + Base64Url(RandomBytes(16));
    d.created_at = now;
    auto id = tx.webhooks().InsertDelivery(d);
    if (!id) return id.error();
    auto queued = tx.jobs().Enqueue(shop, store::JobKind::kWebhook, *id, core::Channel::kEmail, now + delay);
    if (!queued) return queued.error();
  }
  return OkStatus();
}

void Webhooks::Run(const store::Job& job) {
  struct Loaded {
    std::optional<store::WebhookDelivery> delivery;
    std::optional<store::WebhookEndpoint> endpoint;
    WebhookBody body;
  };
  auto loaded = store_.Read<Loaded>([&](store::ReadTx& tx) -> Result<Loaded> {
    Loaded l;
    auto d = tx.webhooks().GetDelivery(job.ref_id);
    if (!d) return d.error();
    if (!d->has_value()) return l;
    l.delivery = **d;
    auto e = tx.webhooks().GetEndpoint(l.delivery->endpoint_id);
    if (!e) return e.error();
    if (!e->has_value() || (*e)->disabled_at) return l;
    l.endpoint = **e;
    auto body = BuildWebhookBody(tx, *l.delivery, l.endpoint->kind, config_.public_url);
    if (!body) return body.error();
    l.body = std::move(*body);
    return l;
  });
  const Instant now = clock_.Now();
  auto record = [&](const Status& s) {
    if (!s)
      Log(LogLevel::kError, "webhooks.record_failed",
          {{"job", std::to_string(job.id)}, {"error", s.error().message}});
  };
  if (!loaded) {
    record(store_.Write<Ok>([&](store::Tx& tx) {
      return tx.jobs().Retry(job.id, now + Backoff(job.attempts), loaded.error().message);
    }));
    return;
  }
  std::string skip;
  if (!loaded->delivery)
    skip = "webhook endpoint deleted";
  else if (!loaded->endpoint)
    skip = "webhook endpoint deleted or disabled";
  else
    skip = loaded->body.skip_reason;
  if (!skip.empty()) {
    record(store_.Write<Ok>(
        [&](store::Tx& tx) { return tx.jobs().Finish(job.id, store::JobStatus::kSkipped, skip, now); }));
    return;
  }
  const store::WebhookDelivery& d = *loaded->delivery;
  const store::WebhookEndpoint& e = *loaded->endpoint;
  std::vector<std::pair<std::string, std::string>> headers = {{"Content-Type", "application/json"}};
  if (e.kind == store::WebhookKind::kStandard) {
    const int64_t ts = ToUnixMillis(now) / 1000;
    headers.emplace_back("webhook-id", d.message_id);
    headers.emplace_back("webhook-timestamp", std::to_string(ts));
    headers.emplace_back("webhook-signature", Sign(e.secret, d.message_id, ts, loaded->body.body));
  }
  delivery::HttpPostOptions options;
  options.allow_private = config_.webhooks_allow_private;
  const delivery::HttpPostResult sent = delivery::HttpPost(e.url, headers, loaded->body.body, options);
  const Instant after = clock_.Now();
  if (sent.ok()) {
    record(store_.Write<Ok>([&](store::Tx& tx) -> Status {
      VOUCH_TRY(tx.jobs().Finish(job.id, store::JobStatus::kDone, "", after));
      return tx.webhooks().MarkDelivered(e.id);
    }));
    Log(LogLevel::kInfo, "webhooks.delivered", {{"job", std::to_string(job.id)}, {"event", d.event_type}});
    return;
  }
  const std::string reason = sent.detail;
  Log(LogLevel::kWarn, "webhooks.failed", {{"job", std::to_string(job.id)}, {"error", reason}});
  record(store_.Write<Ok>([&](store::Tx& tx) -> Status {
    const Instant give_up = d.created_at + kWebhookRetryWindow;
    if (after >= give_up) {
      VOUCH_TRY(tx.jobs().Finish(job.id, store::JobStatus::kFailed, reason, after));
    } else {
      VOUCH_TRY(tx.jobs().Retry(job.id, std::min(after + Backoff(job.attempts), give_up), reason));
    }
    VOUCH_TRY(tx.webhooks().MarkFailing(e.id, after, reason));
    auto now_e = tx.webhooks().GetEndpoint(e.id);
    if (!now_e) return now_e.error();
    if (!now_e->has_value() || !(*now_e)->failing_since ||
        after - *(*now_e)->failing_since < kWebhookDisableAfter) {
      return OkStatus();
    }
    auto disabled = tx.webhooks().Disable(e.id, after);
    if (!disabled) return disabled.error();
    if (!*disabled) return OkStatus();
    Log(LogLevel::kWarn, "webhooks.disabled", {{"endpoint", std::to_string(e.id)}});
    auto queued =
        tx.jobs().Enqueue(e.shop_id, store::JobKind::kWebhookDisabled, e.id, core::Channel::kEmail, after);
    if (!queued) return queued.error();
    return OkStatus();
  }));
  Forget(e.shop_id);
}

}  // namespace vouch::app
