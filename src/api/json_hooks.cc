#include "api/json_hooks.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "api/json_internal.h"
#include "api/json_privacy.h"
#include "base/money.h"
#include "core/validate.h"

namespace vouch::api {

using internal::AmountField;
using internal::IntegerField;
using internal::TextField;
using nlohmann::json;

namespace {

const json kNull;

// The member `key` when it is an object, else null.
const json& Object(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_object() ? *it : kNull;
}

// A member's text when it is a non-empty string (or an integer), else empty: the store software
// writes "" or null for what it does not have, so the next source is asked.
std::string Str(const json& obj, const char* key) {
  if (!obj.is_object()) return {};
  app::RawField f = TextField(obj, key);
  return f.kind == app::RawField::Kind::kText ? std::move(f.text) : std::string{};
}

// The first non-empty of several sources, as a field (absent when none has it).
app::RawField FirstOf(std::initializer_list<std::string> values) {
  for (const std::string& v : values) {
    if (!v.empty()) return app::RawField::Text(v);
  }
  return app::RawField::Absent();
}

// The country a national phone number of the order is read in: its shipping country, else the
// shop's default region (as app::ValidateOrder reads the customer's phone).
std::string PhoneRegion(const json& shipping, const char* country, const std::string& default_region) {
  auto region = core::NormalizeRegion(Str(shipping, country), country);
  return region ? *region : default_region;
}

// A phone from an address or a billing form: kept when it can be read (international form, or
// national in `region`), dropped otherwise: a number the shop never checked must not fail the order.
std::string Readable(std::string phone, const std::string& region) {
  if (phone.empty() || !core::NormalizePhoneIn(phone, region, "phone")) return {};
  return phone;
}

// A Shopify id: the numeric `id`, else the number that ends its admin_graphql_api_id
// ("gid://shopify/Customer/207119551"), so either form names the same record.
app::RawField ShopifyId(const json& obj) {
  app::RawField id = TextField(obj, "id");
  if (!id.absent()) return id;
  const std::string gid = Str(obj, "admin_graphql_api_id");
  if (gid.empty()) return app::RawField::Absent();
  return app::RawField::Text(gid.substr(gid.rfind('/') + 1));
}

// Shopify writes locales such as "en", "en-CA" or "es-419"; the language is what a message needs.
std::string ShopifyLocale(std::string locale) {
  if (locale.size() == 2 || locale.size() == 5) return locale;
  return locale.size() > 2 ? locale.substr(0, 2) : std::string{};
}

// An array member of objects: each element's `code` (discount_codes, coupon_lines).
void Codes(const json& j, const char* key, app::RawOrder& o) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  if (!it->is_array()) {
    o.discount_codes_shape = app::RawShape::kWrongType;
    return;
  }
  o.discount_codes_shape = app::RawShape::kPresent;
  for (const auto& e : *it) {
    o.discount_codes.push_back(e.is_object() ? TextField(e, "code") : app::RawField::WrongType());
  }
}

// line_items with the fields each source names its own way.
void Items(const json& j, const char* title, const char* category, app::RawOrder& o) {
  auto it = j.find("line_items");
  if (it == j.end() || it->is_null()) return;
  if (!it->is_array()) {
    o.line_items_shape = app::RawShape::kWrongType;
    return;
  }
  o.line_items_shape = app::RawShape::kPresent;
  for (const auto& e : *it) {
    app::RawLineItem li;
    li.is_object = e.is_object();
    if (li.is_object) {
      li.product_id = TextField(e, "product_id");
      li.title = TextField(e, title);
      if (li.title.absent()) li.title = TextField(e, "name");
      if (category != nullptr) li.category = TextField(e, category);
      li.quantity = IntegerField(e, "quantity");
      li.price = AmountField(e, "price");
    }
    o.line_items.push_back(std::move(li));
  }
}

// A consent as text, from a JSON boolean only (a store's odd value must not fail the order).
app::RawField Yes(const json& obj, const char* key) {
  auto it = obj.is_object() ? obj.find(key) : obj.end();
  if (it == obj.end() || !it->is_boolean()) return app::RawField::Absent();
  return app::RawField::Text(it->get<bool>() ? "true" : "false");
}

// Shopify's marketing consent: `<channel>_marketing_consent.state` ("subscribed" yes;
// "not_subscribed" and "unsubscribed" no; "pending", "invalid", "redacted" unknown); without a
// state, the older booleans (email only): the customer's `accepts_marketing`, else the order's
// `buyer_accepts_marketing`.
app::RawField ShopifyConsent(const json& order, const json& customer, const char* consent_key, bool email) {
  const std::string state = Str(Object(customer, consent_key), "state");
  if (state == "subscribed") return app::RawField::Text("true");
  if (state == "not_subscribed" || state == "unsubscribed") return app::RawField::Text("false");
  if (!state.empty() || !email) return app::RawField::Absent();
  app::RawField older = Yes(customer, "accepts_marketing");
  return older.absent() ? Yes(order, "buyer_accepts_marketing") : older;
}

// The buyer's IP when it is one: a store's odd value (a proxy's list, "unknown") is left out
// rather than failing the order, which the store would then send again and again.
app::RawField IpOrAbsent(const std::string& ip) {
  if (ip.empty() || !core::NormalizeIp(ip, "browser_ip").ok()) return app::RawField::Absent();
  return app::RawField::Text(ip);
}

// A shipping address from the source's object and its names for the line, zip and country.
void Shipping(const json& address, const char* line1, const char* zip, const char* country,
              app::RawOrder& o) {
  if (!address.is_object()) return;
  app::RawShippingAddress a{FirstOf({Str(address, line1)}), FirstOf({Str(address, zip)}),
                            FirstOf({Str(address, country)})};
  if (a.line1.absent() && a.zip.absent() && a.country.absent()) return;
  o.shipping_address_shape = app::RawShape::kPresent;
  o.shipping_address = std::move(a);
}

app::RawOrder ShopifyRawOrder(const json& j, const std::string& default_region) {
  app::RawOrder o;
  o.id = ShopifyId(j);
  o.created_at = TextField(j, "created_at");
  o.currency = TextField(j, "currency");
  o.total_price = AmountField(j, "total_price");
  auto cit = j.find("customer");
  if (cit != j.end() && !cit->is_null() && !cit->is_object()) {
    o.customer_shape = app::RawShape::kWrongType;
  } else {
    // A guest checkout has no customer object: the order's contact points name the buyer.
    const json& c = Object(j, "customer");
    const json& billing = Object(j, "billing_address");
    const json& shipping = Object(j, "shipping_address");
    o.customer_shape = app::RawShape::kPresent;
    if (c.is_object()) o.customer.id = ShopifyId(c);
    o.customer.email = FirstOf({Str(j, "email"), Str(j, "contact_email"), Str(c, "email")});
    const std::string region = PhoneRegion(shipping, "country_code", default_region);
    o.customer.phone = FirstOf({Str(j, "phone"), Str(c, "phone"), Readable(Str(billing, "phone"), region),
                                Readable(Str(shipping, "phone"), region)});
    o.customer.first_name =
        FirstOf({Str(c, "first_name"), Str(billing, "first_name"), Str(shipping, "first_name")});
    o.customer.last_name =
        FirstOf({Str(c, "last_name"), Str(billing, "last_name"), Str(shipping, "last_name")});
    o.customer.locale = FirstOf({ShopifyLocale(Str(j, "customer_locale"))});
    o.customer.accepts_email_marketing = ShopifyConsent(j, c, "email_marketing_consent", /*email=*/true);
    o.customer.accepts_sms_marketing = ShopifyConsent(j, c, "sms_marketing_consent", /*email=*/false);
    Shipping(shipping, "address1", "zip", "country_code", o);
  }
  o.landing_site = FirstOf({Str(j, "landing_site")});
  o.browser_ip = IpOrAbsent(Str(j, "browser_ip"));
  Codes(j, "discount_codes", o);
  Items(j, "title", "product_type", o);
  return o;
}

// "2026-11-20T10:15:00" (WooCommerce's date_created_gmt, UTC without a zone) as RFC 3339.
app::RawField WooTime(const json& j) {
  app::RawField t = TextField(j, "date_created_gmt");
  if (t.kind != app::RawField::Kind::kText || t.text.empty()) return t;
  const char last = t.text.back();
  const bool zoned =
      last == 'Z' || last == 'z' || (t.text.size() > 19 && (t.text[19] == '+' || t.text[19] == '-'));
  if (!zoned) t.text += 'Z';
  return t;
}

app::RawOrder WooRawOrder(const json& j, const std::string& default_region) {
  app::RawOrder o;
  o.id = TextField(j, "id");
  o.created_at = WooTime(j);
  o.currency = TextField(j, "currency");
  o.total_price = AmountField(j, "total");
  const json& billing = Object(j, "billing");
  o.customer_shape = app::RawShape::kPresent;
  const std::string customer_id = Str(j, "customer_id");
  if (!customer_id.empty() && customer_id != "0") o.customer.id = app::RawField::Text(customer_id);
  o.customer.email = FirstOf({Str(billing, "email")});
  o.customer.phone = FirstOf(
      {Readable(Str(billing, "phone"), PhoneRegion(Object(j, "shipping"), "country", default_region))});
  o.customer.first_name = FirstOf({Str(billing, "first_name")});
  o.customer.last_name = FirstOf({Str(billing, "last_name")});
  Codes(j, "coupon_lines", o);
  Items(j, "name", nullptr, o);
  Shipping(Object(j, "shipping"), "address_1", "postcode", "country", o);
  o.browser_ip = IpOrAbsent(Str(j, "customer_ip_address"));
  return o;
}

Result<json> ParseObject(std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("body", "is not valid JSON");
  if (!j.is_object()) return InvalidArgument("body", "must be a JSON object");
  return j;
}

}  // namespace

Result<app::OrderInput> ParseShopifyOrder(std::string_view body, const std::string& default_region) {
  auto j = ParseObject(body);
  if (!j) return j.error();
  app::RawOrder raw = ShopifyRawOrder(*j, default_region);
  raw.default_region = default_region;
  return app::ValidateOrder(std::move(raw));
}

Result<app::PrivacySubject> ParseShopifyPrivacySubject(std::string_view body) {
  auto j = ParseObject(body);
  if (!j) return j.error();
  const json& c = Object(*j, "customer");
  if (!c.is_object()) return InvalidArgument("customer", "must be an object");
  app::RawField id = ShopifyId(c);
  return app::PrivacySubject{id.kind == app::RawField::Kind::kText ? id.text : std::string{}, Str(c, "email"),
                             Str(c, "phone")};
}

Result<std::string> ParseShopifyOrderId(std::string_view body) {
  auto j = ParseObject(body);
  if (!j) return j.error();
  app::RawField id = ShopifyId(*j);
  if (id.kind != app::RawField::Kind::kText || id.text.empty()) return InvalidArgument("id", "is required");
  return id.text;
}

Result<ShopifyRefund> ParseShopifyRefund(std::string_view body) {
  auto j = ParseObject(body);
  if (!j) return j.error();
  ShopifyRefund r{Str(*j, "order_id"), Str(*j, "id"), {}};
  if (r.order_id.empty()) return InvalidArgument("order_id", "is required");
  if (r.refund_id.empty()) return InvalidArgument("id", "is required");
  auto it = j->find("transactions");
  if (it == j->end() || it->is_null()) return r;
  if (!it->is_array()) return InvalidArgument("transactions", "must be an array");
  int64_t total = 0;
  std::string currency;
  size_t n = 0;
  for (size_t i = 0; i < it->size(); ++i) {
    const json& t = (*it)[i];
    const std::string status = Str(t, "status");
    if (Str(t, "kind") != "refund" || (!status.empty() && status != "success")) continue;
    const std::string path = "transactions[" + std::to_string(i) + "].amount";
    app::RawField amount = AmountField(t, "amount");
    if (amount.kind != app::RawField::Kind::kText) return InvalidArgument(path, "must be a decimal amount");
    ++n;
    r.amount = amount.text;  // one transaction: its amount as written
    currency = Str(t, "currency");
    if (currency.empty()) continue;
    auto minor = ParseAmount(amount.text, currency, path);
    if (!minor) return minor.error();
    total += *minor;
  }
  if (n > 1) {  // several: summed in their currency's minor units
    if (currency.empty()) return InvalidArgument("transactions", "need a currency to be added up");
    r.amount = FormatAmount(total, currency);
  }
  return r;
}

Result<WooOrder> ParseWooOrder(std::string_view body, const std::string& default_region) {
  auto j = ParseObject(body);
  if (!j) return j.error();
  app::RawOrder raw = WooRawOrder(*j, default_region);
  raw.default_region = default_region;
  WooOrder w{Str(*j, "status"), Str(*j, "id"), {}, app::ValidateOrder(std::move(raw))};
  auto it = j->find("refunds");
  if (it != j->end() && it->is_array()) {
    for (const json& e : *it) {
      std::string id = Str(e, "id"), total = Str(e, "total");
      if (id.empty() || total.empty()) continue;
      if (total.front() == '-') total.erase(0, 1);
      // A total signed twice ("--5.00") is no amount: passed on empty, so recording the refund
      // fails with an error naming `amount` instead of reading it as negative.
      if (!total.empty() && (total.front() == '-' || total.front() == '+')) total.clear();
      w.refunds.push_back({"wc-refund-" + id, total});
    }
  }
  return w;
}

std::string HookAckJson(std::string_view status, std::string_view topic) {
  return json{{"status", status}, {"topic", topic}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string HookExportJson(const std::vector<app::CustomerExport>& exports) {
  json list = json::array();
  for (const auto& e : exports) list.push_back(json::parse(ToJson(e)));
  return json{{"status", "exported"}, {"customers", list}}.dump();
}

std::string HookErasedJson(int64_t n) { return json{{"status", "erased"}, {"customers", n}}.dump(); }

}  // namespace vouch::api
