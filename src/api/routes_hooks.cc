// Webhooks from a shop's store software: POST /hooks/shopify/{shop_id} and
// /hooks/woocommerce/{shop_id}. Each delivery is signed with the shop's secret for its source
// (app::Hooks checks it over the raw body, as received, before anything is parsed) and carries a
// delivery id; one sent again is answered "duplicate" without being done twice. An order goes
// through the same validation and ingest as POST /api/v1/orders; Shopify's privacy topics go to
// the privacy use cases. Topics Vouch has no use for are answered 200, so the store software does
// not retry them.
#include <charconv>
#include <string>

#include "api/json_hooks.h"
#include "api/json_money.h"
#include "api/json_orders.h"
#include "api/json_problem.h"
#include "api/params.h"
#include "api/routes.h"
#include "base/log.h"

namespace vouch::api {
namespace {

using http::Request;
using http::Response;

constexpr size_t kMaxDeliveryId = 200;

// The order's ingest as a hook's answer: 201 for a new order, 200 for one known.
Response Ingested(app::App& app, const store::Shop& shop, const Result<app::OrderInput>& order) {
  if (!order) return Problem(order.error());
  auto done = app.ingest().Order(shop, *order);
  if (!done) return Problem(done.error());
  return Json(done->created ? 201 : 200, ToJson(*done));
}

// A refund or cancellation as a hook's answer: 201 when new, 200 when known before or when the
// order never came in (nothing to change: the store software's own history is not Vouch's).
Response Changed(const std::string& topic, const Result<app::OrderChange>& c) {
  if (!c && c.error().code == Code::kNotFound) return Json(200, HookAckJson("unknown_order", topic));
  if (!c) return Problem(c.error());
  return Json(c->created ? 201 : 200, ToJson(*c));
}

Response ShopifyTopic(app::App& app, const store::Shop& shop, const std::string& topic,
                      const std::string& body) {
  if (topic == "orders/create" || topic == "orders/paid") {
    if (topic != shop.settings.shopify_ingest_on) return Json(200, HookAckJson("ignored", topic));
    return Ingested(app, shop, ParseShopifyOrder(body, shop.settings.default_region));
  }
  if (topic == "orders/cancelled") {
    auto id = ParseShopifyOrderId(body);
    if (!id) return Problem(id.error());
    return Changed(topic, app.orders().Cancel(shop, *id));
  }
  if (topic == "refunds/create") {
    auto refund = ParseShopifyRefund(body);
    if (!refund) return Problem(refund.error());
    if (refund->amount.empty()) return Json(200, HookAckJson("ignored", topic));  // no money moved
    return Changed(topic, app.orders().Refund(shop, refund->order_id, refund->refund_id, refund->amount));
  }
  if (topic == "customers/data_request" || topic == "customers/redact") {
    auto who = ParseShopifyPrivacySubject(body);
    if (!who) return Problem(who.error());
    if (topic == "customers/redact") {
      auto n = app.privacy().EraseSubject(shop.id, *who);
      return n ? Json(200, HookErasedJson(*n)) : Problem(n.error());
    }
    auto exports = app.privacy().ExportSubject(shop.id, *who);
    return exports ? Json(200, HookExportJson(*exports)) : Problem(exports.error());
  }
  if (topic == "shop/redact") {
    auto n = app.privacy().EraseAll(shop.id);
    return n ? Json(200, HookErasedJson(*n)) : Problem(n.error());
  }
  return Json(200, HookAckJson("ignored", topic));
}

Response WooTopic(app::App& app, const store::Shop& shop, const std::string& topic, const std::string& body) {
  if (topic != "order.created" && topic != "order.updated") return Json(200, HookAckJson("ignored", topic));
  auto woo = ParseWooOrder(body, shop.settings.default_region);
  if (!woo) return Problem(woo.error());
  if (woo->status == "cancelled") return Changed(topic, app.orders().Cancel(shop, woo->id));
  // An order counts once it is paid for: WooCommerce's "processing" (paid, to be shipped) or
  // "completed". Pending, on-hold and failed orders wait for the update that pays them.
  Response r = Json(200, HookAckJson("ignored", topic));
  if (woo->status == "processing" || woo->status == "completed") r = Ingested(app, shop, woo->order);
  if (r.status >= 300) return r;
  // Refunds (partial ones on a processing or completed order, or the whole of a "refunded" one)
  // come as the order's refunds list: each once, by its id.
  for (const auto& refund : woo->refunds) {
    Response c = Changed(topic, app.orders().Refund(shop, woo->id, refund.refund_id, refund.amount));
    if (c.status >= 300) return c;
    if (woo->status == "refunded") r = std::move(c);
  }
  return r;
}

// The shared envelope: the shop from the path, the signature over the raw body, the delivery id
// remembered once its work is done.
struct Source {
  app::HookSource kind;
  const char* signature_header;  // as the source writes it, for the problem's field
  std::string_view signature, topic, delivery_id;
};

template <class Dispatch>
Response Deliver(app::App& app, const Request& req, const Params& p, const Source& src, Dispatch dispatch) {
  const std::string& shop_param = p.at("shop_id");
  store::Id shop_id = 0;
  const auto [ptr, ec] = std::from_chars(shop_param.data(), shop_param.data() + shop_param.size(), shop_id);
  if (ec != std::errc{} || ptr != shop_param.data() + shop_param.size()) shop_id = 0;
  if (src.delivery_id.size() > kMaxDeliveryId) {
    return Problem(InvalidArgument(
        src.kind == app::HookSource::kShopify ? "X-Shopify-Webhook-Id" : "X-WC-Webhook-Delivery-ID",
        "is too long"));
  }
  const std::string delivery(src.delivery_id);
  auto d = app.hooks().Open(shop_id, src.kind, req.body, src.signature, src.signature_header, delivery);
  if (!d) return Problem(d.error());
  const std::string topic(src.topic);
  if (d->seen) return Json(200, HookAckJson("duplicate", topic));
  Response r = dispatch(app, d->shop, topic, req.body);
  if (r.status < 300) {
    // The work is done and idempotent: a failure to remember it costs a repeat, not an error.
    if (Status s = app.hooks().Remember(shop_id, src.kind, delivery); !s.ok()) {
      Log(LogLevel::kWarn, "hook.remember_failed", {{"shop", shop_param}, {"error", s.error().message}});
    }
  }
  return r;
}

}  // namespace

void AddHookRoutes(Router& router, app::App& app) {
  router.Add({.method = "POST",
              .pattern = "/hooks/shopify/{shop_id}",
              .handler = [&app](const Request& req, const Params& p) {
                return Deliver(app, req, p,
                               Source{app::HookSource::kShopify, "X-Shopify-Hmac-Sha256",
                                      req.Header("x-shopify-hmac-sha256"), req.Header("x-shopify-topic"),
                                      req.Header("x-shopify-webhook-id")},
                               ShopifyTopic);
              }});
  router.Add({.method = "POST",
              .pattern = "/hooks/woocommerce/{shop_id}",
              .handler = [&app](const Request& req, const Params& p) {
                // The ping WooCommerce sends when a webhook is saved: a form with the webhook's id,
                // neither signed nor about an order. Answered 200 so the webhook stays active.
                if (req.Header("x-wc-webhook-topic").empty() && ParseForm(req.body).count("webhook_id") > 0) {
                  return Json(200, HookAckJson("pong", ""));
                }
                return Deliver(app, req, p,
                               Source{app::HookSource::kWooCommerce, "X-WC-Webhook-Signature",
                                      req.Header("x-wc-webhook-signature"), req.Header("x-wc-webhook-topic"),
                                      req.Header("x-wc-webhook-delivery-id")},
                               WooTopic);
              }});
}

}  // namespace vouch::api
