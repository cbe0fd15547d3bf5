#pragma once
// An order and its line items.
// Plain records; money in minor units, time as Instant (UTC).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"
#include "store/records/id.h"

namespace vouch::store {

struct LineItem {
  std::string product_id;
  std::string title;
  std::string category;
  int64_t quantity = 1;
  int64_t price_minor = 0;
};

// Where an order was shipped, as far as the source said (each part may be empty).
struct ShippingAddress {
  std::string line1;
  std::string zip;
  std::string country;  // ISO 3166-1 alpha-2, upper case

  bool operator==(const ShippingAddress&) const = default;
};

struct Order {
  Id id = 0;
  Id shop_id = 0;
  std::string external_id;
  Id customer_id = 0;
  Instant created_at{};
  std::string currency;
  int64_t total_minor = 0;
  std::vector<std::string> discount_codes;
  std::vector<LineItem> items;
  std::optional<Id> survey_id;
  std::string survey_skip;  // why no survey was scheduled, when none was
  std::optional<Id> referral_id;
  Instant ingested_at{};
  int64_t refunded_minor = 0;           // refunds so far (order_refunds), never above total_minor
  std::optional<Instant> cancelled_at;  // when the shop cancelled it
  std::string landing_site;             // the page the buyer's visit landed on, may be empty
  std::string browser_ip;               // the buyer's IP address (canonical v4 or v6 text), may be empty
  std::optional<ShippingAddress> shipping_address;
};

// One refund the shop reported on an order, unique per (order, refund id).
struct OrderRefund {
  Id id = 0;
  Id shop_id = 0;
  Id order_id = 0;
  std::string refund_id;  // the shop's id for it
  int64_t amount_minor = 0;
  Instant created_at{};
};

}  // namespace vouch::store
