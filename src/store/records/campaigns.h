#pragma once
// Paid campaigns and the new customers the channel comparison reads (issue 16).
// Plain records; money in minor units, time as Instant (UTC).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"
#include "store/records/id.h"

namespace vouch::store {

// What a shop paid for outside the referral program, and the discount codes it handed out.
struct Campaign {
  Id id = 0;
  Id shop_id = 0;
  std::string name;
  std::string kind;  // "influencer", "paid_social" or "other"
  int64_t cost_minor = 0;
  std::string currency;
  std::vector<std::string> codes;  // upper-cased
  Instant created_at{};
};

// A customer whose first order with the shop (not cancelled) was placed in a report's range.
struct NewCustomerRow {
  Id customer_id = 0;
  int64_t first_order_net_minor = 0;        // total less refunds
  std::vector<std::string> discount_codes;  // of the first order, as stored
  bool referred = false;                    // the first order is a qualified referral
  int64_t reward_released_minor = 0;        // released rewards that referral earned
  int64_t revenue_minor = 0;                // net of all their orders up to the range's end
  bool repeat = false;                      // they ordered again (any time after the first)
  std::optional<int> score;                 // their latest counted answer, if any
  // The friend's discount of the referral code's experiment variant, when the code carries one
  // (issue 16): "percent" or "amount", and its value; empty for the shop's own offer.
  std::string variant_discount_kind;
  int64_t variant_discount_value = 0;
  // With an audience cut: the first order (its survey, the order, the customer) is in the audience.
  bool in_audience = true;
};

// A customer a promoter's code brought (issue 16, referral generations): a qualified referral on
// the customer's first order (cancelled ones ignored).
struct ReferralEdge {
  Id promoter_id = 0;
  Id customer_id = 0;                 // the friend
  Instant at{};                       // the referral's time
  int64_t revenue_minor = 0;          // net (less refunds) of all the friend's orders before the range's end
  int64_t reward_released_minor = 0;  // released rewards that referral earned
};

// When a customer became a promoter: their referral code's creation.
struct PromoterActivation {
  Id promoter_id = 0;
  Instant at{};
};

}  // namespace vouch::store
