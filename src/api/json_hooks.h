#pragma once
// The webhooks of a shop's store software in JSON (routes_hooks.cc): Shopify's and WooCommerce's
// order payloads mapped onto app::RawOrder and validated by app::ValidateOrder (every rule and
// field name the JSON API has), the person a Shopify privacy request names, and the short answers
// the hooks give. Pure functions, thread-safe.
#include <string>
#include <string_view>
#include <vector>

#include "app/order_input.h"
#include "app/privacy.h"
#include "base/result.h"

namespace vouch::api {

// A Shopify order (orders/create, orders/paid): numeric ids (else the number of the
// admin_graphql_api_id "gid://shopify/Order/…"), the customer with email and phone falling back
// to the order's and its addresses', discount_codes[].code, line_items with product_type as the
// category, currency and total_price. A national phone number is read in the shipping country,
// else in `default_region` (the shop's setting; empty: international form only); an address's
// phone that cannot be read is dropped rather than failing the order.
// kInvalidArgument for a body that is not a JSON object, or the first rule the order breaks.
Result<app::OrderInput> ParseShopifyOrder(std::string_view body, const std::string& default_region);

// The person of customers/data_request and customers/redact ({"customer": {"id", "email",
// "phone"}}). kInvalidArgument when the body is not an object with a customer object.
Result<app::PrivacySubject> ParseShopifyPrivacySubject(std::string_view body);

// Shopify's orders/cancelled: the order's id (as ParseShopifyOrder reads it).
Result<std::string> ParseShopifyOrderId(std::string_view body);

// Shopify's refunds/create: the order it belongs to (order_id), the refund's id, and the money
// returned: its successful "refund" transactions summed (empty when no money moved, e.g. a
// restock only). kInvalidArgument naming the field otherwise.
struct ShopifyRefund {
  std::string order_id, refund_id, amount;
};
Result<ShopifyRefund> ParseShopifyRefund(std::string_view body);

// A WooCommerce order (order.created, order.updated): its status ("processing", ...) and the order
// mapped from id, date_created_gmt (UTC), currency, total, customer_id (0: a guest, known by its
// email), billing name, email and phone (a national number read in the shipping country, else in
// `default_region`; one that cannot be read is dropped, not the order), coupon_lines[].code and
// line_items. kInvalidArgument for a
// body that is not a JSON object; `order` holds the order's own error.
struct WooRefund {
  // amount without its sign (WooCommerce writes a refund's total negative); empty for a total
  // that is signed twice, which recording the refund then refuses as no amount
  std::string refund_id, amount;
};
struct WooOrder {
  std::string status;
  std::string id;                  // the order's id as text
  std::vector<WooRefund> refunds;  // its refunds so far ("refunds": [{"id", "total"}])
  Result<app::OrderInput> order;
};
Result<WooOrder> ParseWooOrder(std::string_view body, const std::string& default_region);

// {"status": status, "topic": topic}: a delivery acknowledged without an order's result.
std::string HookAckJson(std::string_view status, std::string_view topic);
// {"status": "exported", "customers": [<export>, ...]} for a data request.
std::string HookExportJson(const std::vector<app::CustomerExport>& exports);
// {"status": "erased", "customers": n}.
std::string HookErasedJson(int64_t n);

}  // namespace vouch::api
