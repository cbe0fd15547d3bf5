#include "api/json_webhooks.h"

#include <nlohmann/json.hpp>

#include "api/json_internal.h"

namespace vouch::api {

using internal::Iso;
using nlohmann::json;

namespace {

// A Slack incoming-webhook URL is a bearer secret: only its scheme, host and first path
// segments are shown, the last one masked.
std::string Shown(const store::WebhookEndpoint& e) {
  if (e.kind != store::WebhookKind::kSlack) return e.url;
  const size_t slash = e.url.rfind('/');
  const size_t host_end = e.url.find('/', e.url.find("//") == std::string::npos ? 0 : e.url.find("//") + 2);
  if (slash == std::string::npos || host_end == std::string::npos || slash < host_end) return e.url;
  return e.url.substr(0, slash + 1) + "…";
}

json EndpointJson(const store::WebhookEndpoint& e) {
  const char* status = e.disabled_at ? "disabled" : e.failing_since ? "failing" : "active";
  json j{{"id", e.id},
         {"url", Shown(e)},
         {"kind", store::WebhookKindName(e.kind)},
         {"events", e.events},
         {"status", status},
         {"created_at", Iso(e.created_at)},
         {"last_error", e.last_error}};
  j["failing_since"] = e.failing_since ? json(Iso(*e.failing_since)) : json(nullptr);
  j["disabled_at"] = e.disabled_at ? json(Iso(*e.disabled_at)) : json(nullptr);
  return j;
}

}  // namespace

Result<NewWebhookBody> ParseNewWebhook(std::string_view body) {
  if (internal::NestsDeeperThan(body, internal::kMaxJsonDepth))
    return InvalidArgument("body", internal::kTooDeep);
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("body", "is not valid JSON");
  if (!j.is_object()) return InvalidArgument("body", "must be a JSON object");
  NewWebhookBody out;
  auto url = j.find("url");
  if (url == j.end() || url->is_null()) return InvalidArgument("url", "is required");
  if (!url->is_string()) return InvalidArgument("url", "must be a string");
  out.url = url->get<std::string>();
  auto kind = j.find("kind");
  if (kind != j.end() && !kind->is_null()) {
    if (!kind->is_string()) return InvalidArgument("kind", "must be standard or slack");
    out.kind = kind->get<std::string>();
    if (out.kind.empty()) return InvalidArgument("kind", "must be standard or slack");
  }
  auto events = j.find("events");
  if (events == j.end() || events->is_null()) return InvalidArgument("events", "is required");
  if (!events->is_array()) return InvalidArgument("events", "must be an array of event names");
  for (size_t i = 0; i < events->size(); ++i) {
    const json& e = (*events)[i];
    if (!e.is_string()) return InvalidArgument("events[" + std::to_string(i) + "]", "must be a string");
    out.events.push_back(e.get<std::string>());
  }
  return out;
}

std::string WebhooksJson(const std::vector<store::WebhookEndpoint>& endpoints) {
  json arr = json::array();
  for (const auto& e : endpoints) arr.push_back(EndpointJson(e));
  return json{{"webhooks", arr}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string CreatedWebhookJson(const app::CreatedWebhook& w) {
  json j{{"webhook", EndpointJson(w.endpoint)}};
  j["secret"] = w.secret.empty() ? json(nullptr) : json(w.secret);
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace vouch::api
