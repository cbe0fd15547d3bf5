#include "store/sql/sql_webhooks.h"

#include <fmt/format.h>

namespace vouch::store::sql {
namespace {

constexpr const char* kEndpointCols =
    "id, shop_id, url, kind, events, secret, created_at, failing_since, disabled_at, last_error";
constexpr const char* kDeliveryCols = "id, shop_id, endpoint_id, event_type, ref_id, message_id, created_at";

WebhookEndpoint EndpointFrom(const Row& r) {
  WebhookEndpoint e;
  e.id = Int(r, 0);
  e.shop_id = Int(r, 1);
  e.url = Text(r, 2);
  e.kind = ParseWebhookKind(Text(r, 3)).value_or(WebhookKind::kStandard);
  e.events = SplitLines(Text(r, 4));
  e.secret = Text(r, 5);
  e.created_at = Time(r, 6);
  e.failing_since = OptTime(r, 7);
  e.disabled_at = OptTime(r, 8);
  e.last_error = Text(r, 9);
  return e;
}

WebhookDelivery DeliveryFrom(const Row& r) {
  WebhookDelivery d;
  d.id = Int(r, 0);
  d.shop_id = Int(r, 1);
  d.endpoint_id = Int(r, 2);
  d.event_type = Text(r, 3);
  d.ref_id = Int(r, 4);
  d.message_id = Text(r, 5);
  d.created_at = Time(r, 6);
  return d;
}

}  // namespace

Result<std::vector<WebhookEndpoint>> SqlWebhooks::ListEndpoints(Id shop) {
  return Many<WebhookEndpoint>(
      c_, fmt::format("SELECT {} FROM webhook_endpoints WHERE shop_id = ?1 ORDER BY id", kEndpointCols),
      {shop}, EndpointFrom);
}

Result<std::optional<WebhookEndpoint>> SqlWebhooks::GetEndpoint(Id endpoint) {
  return One<WebhookEndpoint>(c_,
                              fmt::format("SELECT {} FROM webhook_endpoints WHERE id = ?1", kEndpointCols),
                              {endpoint}, EndpointFrom);
}

Result<std::optional<WebhookDelivery>> SqlWebhooks::GetDelivery(Id delivery) {
  return One<WebhookDelivery>(c_,
                              fmt::format("SELECT {} FROM webhook_deliveries WHERE id = ?1", kDeliveryCols),
                              {delivery}, DeliveryFrom);
}

Result<Id> SqlWebhooks::InsertEndpoint(const WebhookEndpoint& e) {
  return InsertReturningId(c_,
                           "INSERT INTO webhook_endpoints (shop_id, url, kind, events, secret, created_at, "
                           "last_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, '')",
                           {e.shop_id, e.url, std::string(WebhookKindName(e.kind)), JoinLines(e.events),
                            e.secret, Ms(e.created_at)});
}

Result<bool> SqlWebhooks::DeleteEndpoint(Id shop, Id endpoint) {
  VOUCH_TRY(Exec(c_,
                 "DELETE FROM webhook_deliveries WHERE endpoint_id = ?2 AND endpoint_id IN "
                 "(SELECT id FROM webhook_endpoints WHERE shop_id = ?1)",
                 {shop, endpoint}));
  auto n = c_.Exec("DELETE FROM webhook_endpoints WHERE shop_id = ?1 AND id = ?2", {shop, endpoint});
  if (!n) return n.error();
  return *n > 0;
}

Result<Id> SqlWebhooks::InsertDelivery(const WebhookDelivery& d) {
  return InsertReturningId(
      c_,
      "INSERT INTO webhook_deliveries (shop_id, endpoint_id, event_type, ref_id, message_id, "
      "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      {d.shop_id, d.endpoint_id, d.event_type, d.ref_id, d.message_id, Ms(d.created_at)});
}

Status SqlWebhooks::MarkFailing(Id endpoint, Instant at, const std::string& error) {
  return Exec(c_,
              "UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, ?2), last_error = ?3 "
              "WHERE id = ?1",
              {endpoint, Ms(at), error});
}

Status SqlWebhooks::MarkDelivered(Id endpoint) {
  return Exec(c_,
              "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?1 AND failing_since IS NOT NULL",
              {endpoint});
}

Result<bool> SqlWebhooks::Disable(Id endpoint, Instant at) {
  auto n = c_.Exec("UPDATE webhook_endpoints SET disabled_at = ?2 WHERE id = ?1 AND disabled_at IS NULL",
                   {endpoint, Ms(at)});
  if (!n) return n.error();
  return *n > 0;
}

}  // namespace vouch::store::sql
