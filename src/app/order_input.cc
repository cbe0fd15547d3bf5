#include "app/order_input.h"

#include <charconv>

#include "base/money.h"
#include "core/codes.h"
#include "core/validate.h"

namespace vouch::app {
namespace {

constexpr size_t kMaxText = 500;
constexpr size_t kMaxItems = 1000;
constexpr size_t kMaxCodes = 50;
constexpr size_t kMaxCode = 100;
constexpr int64_t kMaxQuantity = 1'000'000;
constexpr size_t kMaxLandingSite = 2000;

// A text field: required or not, at most `max` bytes, no control characters but tabs.
Result<std::string> Text(RawField& f, const std::string& path, bool required, size_t max = kMaxText) {
  if (f.kind == RawField::Kind::kAbsent) {
    if (required) return InvalidArgument(path, "is required");
    return std::string{};
  }
  if (f.kind == RawField::Kind::kWrongType) return InvalidArgument(path, "must be a string");
  std::string v = std::move(f.text);
  if (required && v.empty()) return InvalidArgument(path, "must not be empty");
  if (v.size() > max) return InvalidArgument(path, "is too long");
  for (unsigned char c : v) {
    if (c < 0x20 && c != '\t') return InvalidArgument(path, "must not contain control characters");
  }
  return v;
}

// A decimal amount in `currency`, as minor units; 0 when absent and not required.
Result<int64_t> Amount(const RawField& f, const std::string& path, const std::string& currency,
                       bool required) {
  if (f.kind == RawField::Kind::kAbsent) {
    if (required) return InvalidArgument(path, "is required");
    return int64_t{0};
  }
  if (f.kind == RawField::Kind::kWrongType) {
    return InvalidArgument(path, "must be a decimal amount such as \"59.90\"");
  }
  return ParseAmount(f.text, currency, path);
}

// `text` normalised by `normalize` when not empty.
template <class F>
Result<std::string> NormalizedIfSet(std::string text, F&& normalize) {
  if (text.empty()) return text;
  return normalize(text);
}

// Consent: "true" or "false"; absent: unknown.
Result<std::optional<bool>> Consent(const RawField& f, const std::string& path) {
  if (f.kind == RawField::Kind::kAbsent) return std::optional<bool>{};
  if (f.kind == RawField::Kind::kText && f.text == "true") return std::optional<bool>{true};
  if (f.kind == RawField::Kind::kText && f.text == "false") return std::optional<bool>{false};
  return InvalidArgument(path, "must be true, false or null");
}

// `region`: the country national phone numbers are read in ("" none: international form only).
Result<CustomerInput> ValidateCustomer(RawShape shape, RawCustomer& raw, const std::string& region) {
  if (shape == RawShape::kAbsent) return InvalidArgument("customer", "is required");
  if (shape == RawShape::kWrongType) return InvalidArgument("customer", "must be an object");
  CustomerInput c;
  auto id = Text(raw.id, "customer.id", false, 200);
  if (!id) return id.error();
  c.external_id = std::move(*id);
  auto email = Text(raw.email, "customer.email", false, 254);
  if (!email) return email.error();
  auto n_email = NormalizedIfSet(
      std::move(*email), [](const std::string& e) { return core::NormalizeEmail(e, "customer.email"); });
  if (!n_email) return n_email.error();
  c.email = std::move(*n_email);
  auto phone = Text(raw.phone, "customer.phone", false, 40);
  if (!phone) return phone.error();
  auto n_phone = NormalizedIfSet(std::move(*phone), [&](const std::string& p) {
    return core::NormalizePhoneIn(p, region, "customer.phone");
  });
  if (!n_phone) return n_phone.error();
  c.phone = std::move(*n_phone);
  auto first = Text(raw.first_name, "customer.first_name", false, 200);
  if (!first) return first.error();
  c.first_name = std::move(*first);
  auto last = Text(raw.last_name, "customer.last_name", false, 200);
  if (!last) return last.error();
  c.last_name = std::move(*last);
  auto locale = Text(raw.locale, "customer.locale", false, 10);
  if (!locale) return locale.error();
  auto n_locale = NormalizedIfSet(
      std::move(*locale), [](const std::string& l) { return core::NormalizeLocale(l, "customer.locale"); });
  if (!n_locale) return n_locale.error();
  c.locale = std::move(*n_locale);
  auto email_ok = Consent(raw.accepts_email_marketing, "customer.accepts_email_marketing");
  if (!email_ok) return email_ok.error();
  c.accepts_email_marketing = *email_ok;
  auto sms_ok = Consent(raw.accepts_sms_marketing, "customer.accepts_sms_marketing");
  if (!sms_ok) return sms_ok.error();
  c.accepts_sms_marketing = *sms_ok;
  if (c.external_id.empty() && c.email.empty() && c.phone.empty()) {
    return InvalidArgument("customer.id", "a customer needs an id, an email or a phone");
  }
  return c;
}

Status ValidateCodes(RawOrder& raw, OrderInput& o) {
  if (raw.discount_codes_shape == RawShape::kAbsent) return OkStatus();
  if (raw.discount_codes_shape == RawShape::kWrongType) {
    return InvalidArgument("discount_codes", "must be an array of strings");
  }
  if (raw.discount_codes.size() > kMaxCodes) return InvalidArgument("discount_codes", "has too many codes");
  o.discount_codes.reserve(raw.discount_codes.size());
  for (size_t i = 0; i < raw.discount_codes.size(); ++i) {
    const RawField& e = raw.discount_codes[i];
    const std::string path = "discount_codes[" + std::to_string(i) + "]";
    if (e.kind != RawField::Kind::kText) return InvalidArgument(path, "must be a string");
    if (e.text.size() > kMaxCode) return InvalidArgument(path, "is too long");
    o.discount_codes.push_back(core::NormalizeCode(e.text));
  }
  return OkStatus();
}

// A positive integer quantity of at most kMaxQuantity; 1 when absent.
Result<int64_t> Quantity(const RawField& f, const std::string& path) {
  if (f.kind == RawField::Kind::kAbsent) return int64_t{1};
  int64_t q = 0;
  const char* end = f.text.data() + f.text.size();
  const auto [ptr, ec] = std::from_chars(f.text.data(), end, q);
  if (f.kind != RawField::Kind::kText || f.text.empty() || ec != std::errc{} || ptr != end || q < 1 ||
      q > kMaxQuantity) {
    return InvalidArgument(path, "must be a positive integer");
  }
  return q;
}

Result<store::LineItem> ValidateItem(RawLineItem& e, const std::string& path, const std::string& currency) {
  if (!e.is_object) return InvalidArgument(path, "must be an object");
  store::LineItem li;
  auto pid = Text(e.product_id, path + ".product_id", false, 200);
  if (!pid) return pid.error();
  li.product_id = std::move(*pid);
  auto title = Text(e.title, path + ".title", false);
  if (!title) return title.error();
  li.title = std::move(*title);
  auto cat = Text(e.category, path + ".category", false, 100);
  if (!cat) return cat.error();
  li.category = std::move(*cat);
  auto q = Quantity(e.quantity, path + ".quantity");
  if (!q) return q.error();
  li.quantity = *q;
  auto price = Amount(e.price, path + ".price", currency, false);
  if (!price) return price.error();
  li.price_minor = *price;
  return li;
}

Status ValidateItems(RawOrder& raw, OrderInput& o) {
  if (raw.line_items_shape == RawShape::kAbsent) return OkStatus();
  if (raw.line_items_shape == RawShape::kWrongType) return InvalidArgument("line_items", "must be an array");
  if (raw.line_items.size() > kMaxItems) return InvalidArgument("line_items", "has too many items");
  o.items.reserve(raw.line_items.size());
  for (size_t i = 0; i < raw.line_items.size(); ++i) {
    auto li = ValidateItem(raw.line_items[i], "line_items[" + std::to_string(i) + "]", o.currency);
    if (!li) return li.error();
    o.items.push_back(std::move(*li));
  }
  return OkStatus();
}

// The order's own fields, in the order their errors are reported.
Status ValidateHead(RawOrder& raw, OrderInput& o) {
  auto id = Text(raw.id, "id", true, 200);
  if (!id) return id.error();
  o.external_id = std::move(*id);
  auto created = Text(raw.created_at, "created_at", true);
  if (!created) return created.error();
  auto t = ParseRfc3339(*created, "created_at");
  if (!t) return t.error();
  o.created_at = *t;
  auto currency = Text(raw.currency, "currency", true, 3);
  if (!currency) return currency.error();
  if (!CurrencyExponent(*currency)) return InvalidArgument("currency", "unknown ISO 4217 currency code");
  o.currency = std::move(*currency);
  auto total = Amount(raw.total_price, "total_price", o.currency, true);
  if (!total) return total.error();
  o.total_minor = *total;
  return OkStatus();
}

// Where the order came from and where it goes: landing page, buyer IP, shipping address.
Status ValidateVisit(RawOrder& raw, OrderInput& o) {
  auto landing = Text(raw.landing_site, "landing_site", false, kMaxLandingSite);
  if (!landing) return landing.error();
  o.landing_site = std::move(*landing);
  auto ip = Text(raw.browser_ip, "browser_ip", false, 100);
  if (!ip) return ip.error();
  auto n_ip = NormalizedIfSet(std::move(*ip),
                              [](const std::string& t) { return core::NormalizeIp(t, "browser_ip"); });
  if (!n_ip) return n_ip.error();
  o.browser_ip = std::move(*n_ip);
  if (raw.shipping_address_shape == RawShape::kAbsent) return OkStatus();
  if (raw.shipping_address_shape == RawShape::kWrongType) {
    return InvalidArgument("shipping_address", "must be an object");
  }
  RawShippingAddress& a = raw.shipping_address;
  store::ShippingAddress ship;
  auto line1 = Text(a.line1, "shipping_address.line1", false, 200);
  if (!line1) return line1.error();
  ship.line1 = std::move(*line1);
  auto zip = Text(a.zip, "shipping_address.zip", false, 20);
  if (!zip) return zip.error();
  ship.zip = std::move(*zip);
  auto country = Text(a.country, "shipping_address.country", false, 100);
  if (!country) return country.error();
  auto n_country = NormalizedIfSet(std::move(*country), [](const std::string& t) {
    return core::NormalizeCountry(t, "shipping_address.country");
  });
  if (!n_country) return n_country.error();
  ship.country = std::move(*n_country);
  if (!ship.line1.empty() || !ship.zip.empty() || !ship.country.empty()) o.shipping_address = std::move(ship);
  return OkStatus();
}

}  // namespace

Result<OrderInput> ValidateOrder(RawOrder&& raw) {
  if (!raw.is_object) return InvalidArgument("", "an order must be a JSON object");
  OrderInput o;
  VOUCH_TRY(ValidateHead(raw, o));
  // National phone numbers are read in the shipping country, else the shop's default region.
  std::string region = raw.default_region;
  if (raw.shipping_address_shape == RawShape::kPresent &&
      raw.shipping_address.country.kind == RawField::Kind::kText) {
    if (auto country = core::NormalizeRegion(raw.shipping_address.country.text, "shipping_address.country")) {
      region = *country;
    }
  }
  auto c = ValidateCustomer(raw.customer_shape, raw.customer, region);
  if (!c) return c.error();
  o.customer = std::move(*c);
  VOUCH_TRY(ValidateCodes(raw, o));
  VOUCH_TRY(ValidateItems(raw, o));
  VOUCH_TRY(ValidateVisit(raw, o));
  return o;
}

}  // namespace vouch::app
