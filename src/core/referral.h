#pragma once
// Attribution rules: is an order carrying a referral code a qualified referral?
#include <optional>
#include <string>
#include <string_view>

#include "base/time.h"

namespace vouch::core {

struct Person {
  std::string customer_id;  // the shop's external customer id (may be empty)
  std::string email;        // lower-cased
  std::string phone;        // E.164
};

struct CodeState {
  Person promoter;
  std::optional<Instant> expires_at;
  int max_uses = 0;  // 0: unlimited
  int uses = 0;      // qualified referrals so far
};

enum class ReferralVerdict {
  kQualified,
  kSelfReferral,  // the buyer is the promoter (same customer id, email or phone)
  kExpired,
  kUsedUp,
  kExistingCustomer,  // the buyer had bought before: a referral is for new customers
};
const char* VerdictName(ReferralVerdict v);
// The verdict VerdictName names; nullopt for any other string.
std::optional<ReferralVerdict> ParseVerdict(std::string_view s);

// `buyer_prior_orders` counts the buyer's orders before this one.
ReferralVerdict JudgeReferral(const CodeState& code, const Person& buyer, int buyer_prior_orders,
                              Instant order_time);

}  // namespace vouch::core
