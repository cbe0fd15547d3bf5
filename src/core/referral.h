#pragma once
// Attribution rules: is an order carrying a referral code a qualified referral?
#include <optional>
#include <string>
#include <string_view>

#include "base/time.h"
#include "core/identity.h"

namespace vouch::core {

struct Person {
  std::string customer_id;    // the shop's external customer id (may be empty)
  std::string email;          // lower-cased
  std::string phone;          // E.164
  ShippingAddress address{};  // the order's shipping address (the buyer's); empty when unknown
};

struct CodeState {
  Person promoter;
  std::optional<Instant> expires_at;
  int max_uses = 0;  // 0: unlimited
  int uses = 0;      // qualified referrals so far
};

enum class ReferralVerdict {
  kQualified,
  kSelfReferral,  // the buyer is the promoter: any shared identity (core/identity.h): customer
                  // id, canonical email ("a.nna+1@googlemail.com" is "anna@gmail.com"), phone
                  // or shipping address
  kExpired,
  kUsedUp,
  kExistingCustomer,  // the buyer had bought before: a referral is for new customers
  // Decided by the rules of core/fraud.h rather than JudgeReferral:
  kVelocity,         // too many qualified referrals on the code in a short time
  kDisposableEmail,  // the buyer's address is at a throwaway mailbox domain
  // Decided by the rules of core/signals.h:
  kSharedNetwork,  // the buyer ordered from a network the promoter ordered from
  kCouponLeak,     // the code was paused: many unrelated buyers used it without visiting its link
};
const char* VerdictName(ReferralVerdict v);
// The verdict VerdictName names; nullopt for any other string.
std::optional<ReferralVerdict> ParseVerdict(std::string_view s);

// `buyer_prior_orders` counts the buyer's orders before this one. The persons are compared by
// their canonical identities (IdentityOf), whatever form their email and phone come in.
ReferralVerdict JudgeReferral(const CodeState& code, const Person& buyer, int buyer_prior_orders,
                              Instant order_time);

}  // namespace vouch::core
