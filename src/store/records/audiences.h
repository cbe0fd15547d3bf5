#pragma once
// Audiences (issue 16): groups of a shop's customers by what the surveyed order was (its product
// category, its value), the customer's locale and whether they had bought before, used to limit
// activation, to give promoters an offer of their own and to cut reports. Plain records; money in
// minor units, time as Instant (UTC).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"
#include "store/records/id.h"

namespace vouch::store {

// What an audience's promoters' codes give and earn instead of the shop's offer.
struct AudienceOffer {
  std::string discount_kind = "percent";  // "percent" or "amount"
  int64_t discount_value = 0;
  int64_t reward_minor = 0;
};

// A survey (its order and customer) is in the audience when every condition set holds:
// - categories: the survey's segment (the surveyed order's product category) is one of them;
// - min/max_order_minor: the surveyed order's total is at least / at most this;
// - locales: the customer's locale (the shop's when the customer has none) is one of them;
// - repeat_buyer: "yes" the customer had an order before the surveyed one (not cancelled), "no"
//   they had none, "any" either.
struct Audience {
  Id id = 0;
  Id shop_id = 0;
  std::string name;
  std::vector<std::string> categories;  // empty: any
  std::optional<int64_t> min_order_minor, max_order_minor;
  std::vector<std::string> locales;  // empty: any
  std::string repeat_buyer = "any";
  // Activation is limited to gated audiences: once a shop has one, a promoter in none of its gated
  // audiences gets the thank-you without a code.
  bool gate = false;
  std::optional<AudienceOffer> offer;  // none: the shop's offer
  Instant created_at{};
};

// An audience as a report's cut, with the shop's locale (which stands for a customer's without).
struct AudienceCut {
  Audience audience;
  std::string shop_locale;
};

}  // namespace vouch::store
