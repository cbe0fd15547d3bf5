#pragma once
// Orders as a source gives them (RawOrder) and as the use cases take them (OrderInput), and the
// one function between the two: every rule an order must pass — required fields, lengths,
// control characters, money in the currency's minor units, RFC 3339 times, normalised email,
// phone and locale, discount codes, line items — lives in ValidateOrder, so every source (the
// JSON API today; a CSV import or a shop's webhook later) is a thin adapter that maps its format
// onto RawOrder and shares every rule and every error. Plain data and a pure function: no I/O,
// thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "store/records.h"

namespace vouch::app {

// --- Validated (what the use cases take) --------------------------------------------------------
struct CustomerInput {
  std::string external_id;  // may be empty: then the email (or phone) identifies the customer
  std::string email;        // normalised, may be empty
  std::string phone;        // E.164, may be empty
  std::string first_name;
  std::string last_name;
  std::string locale;  // normalised, may be empty
  // Marketing consent the source reported; nullopt: it said nothing (keeps what we knew).
  std::optional<bool> accepts_email_marketing;
  std::optional<bool> accepts_sms_marketing;
};

struct OrderInput {
  std::string external_id;
  Instant created_at{};
  std::string currency;
  int64_t total_minor = 0;
  CustomerInput customer;
  std::vector<std::string> discount_codes;  // normalised (core::NormalizeCode)
  std::vector<store::LineItem> items;
  // False: ingest the order (it counts for the customer's history and attribution) without
  // planning a survey, as an import does for orders from the past.
  bool survey = true;
  std::string landing_site;                                // may be empty
  std::string browser_ip;                                  // canonical IPv4 or IPv6 text, may be empty
  std::optional<store::ShippingAddress> shipping_address;  // nullopt when none, or all of it empty
};

// --- Raw (as the source gave it) ----------------------------------------------------------------
// One value as the source gave it: absent (or null), text (a source's integers as their digits,
// its numbers as their decimal text where a field takes amounts), or a value of a kind the field
// cannot take (a JSON array where text belongs): the field's "must be ..." error.
struct RawField {
  enum class Kind { kAbsent, kText, kWrongType };
  Kind kind = Kind::kAbsent;
  std::string text;

  static RawField Absent() { return {}; }
  static RawField Text(std::string t) { return RawField{Kind::kText, std::move(t)}; }
  static RawField WrongType() { return RawField{Kind::kWrongType, {}}; }
  bool absent() const { return kind == Kind::kAbsent; }
};

// A group of values (an object or a list): absent (or null), present, or not a group at all.
enum class RawShape { kAbsent, kPresent, kWrongType };

struct RawCustomer {
  RawField id, email, phone, first_name, last_name, locale;
  // Text "true" or "false" (an adapter maps its source's forms onto these); absent: unknown.
  RawField accepts_email_marketing, accepts_sms_marketing;
};

struct RawShippingAddress {
  RawField line1, zip, country;
};

struct RawLineItem {
  bool is_object = true;  // false: the element is not an object ("must be an object")
  RawField product_id, title, category;
  RawField quantity;  // text: an integer as the source wrote it
  RawField price;     // a decimal amount in the order's currency
};

struct RawOrder {
  bool is_object = true;  // false: the order itself is not an object
  RawField id, created_at, currency, total_price;
  RawShape customer_shape = RawShape::kAbsent;
  RawCustomer customer;
  RawShape discount_codes_shape = RawShape::kAbsent;
  std::vector<RawField> discount_codes;  // text: a code ("SAVE10" or Shopify's {"code": ...})
  RawShape line_items_shape = RawShape::kAbsent;
  std::vector<RawLineItem> line_items;
  RawField landing_site, browser_ip;
  RawShape shipping_address_shape = RawShape::kAbsent;
  RawShippingAddress shipping_address;
  // Not from the source: the shop's default_region ("DE"; "" none), in which a national phone
  // number is read when the shipping address names no country.
  std::string default_region;
};

// The order, validated and normalised, or the first rule it breaks: kInvalidArgument with the
// offending field's path ("customer.email", "line_items[2].price", "" for a non-object order).
// Consumes `raw` (its texts move into the result).
Result<OrderInput> ValidateOrder(RawOrder&& raw);

}  // namespace vouch::app
