#include "core/referral.h"

#include "core/identity.h"

namespace vouch::core {

const char* VerdictName(ReferralVerdict v) {
  switch (v) {
    case ReferralVerdict::kQualified: return "qualified";
    case ReferralVerdict::kSelfReferral: return "self_referral";
    case ReferralVerdict::kExpired: return "expired";
    case ReferralVerdict::kUsedUp: return "used_up";
    case ReferralVerdict::kExistingCustomer: return "existing_customer";
    case ReferralVerdict::kVelocity: return "velocity";
    case ReferralVerdict::kDisposableEmail: return "disposable_email";
    case ReferralVerdict::kSharedNetwork: return "shared_network";
    case ReferralVerdict::kCouponLeak: return "coupon_leak";
  }
  return "qualified";
}

std::optional<ReferralVerdict> ParseVerdict(std::string_view s) {
  for (ReferralVerdict v :
       {ReferralVerdict::kQualified, ReferralVerdict::kSelfReferral, ReferralVerdict::kExpired,
        ReferralVerdict::kUsedUp, ReferralVerdict::kExistingCustomer, ReferralVerdict::kVelocity,
        ReferralVerdict::kDisposableEmail, ReferralVerdict::kSharedNetwork, ReferralVerdict::kCouponLeak}) {
    if (s == VerdictName(v)) return v;
  }
  return std::nullopt;
}

namespace {
Identity IdentityOfPerson(const Person& p) { return IdentityOf(p.customer_id, p.email, p.phone, p.address); }
}  // namespace

ReferralVerdict JudgeReferral(const CodeState& code, const Person& buyer, int buyer_prior_orders,
                              Instant order_time) {
  if (!SharedIdentities(IdentityOfPerson(code.promoter), IdentityOfPerson(buyer)).empty()) {
    return ReferralVerdict::kSelfReferral;
  }
  if (code.expires_at && order_time >= *code.expires_at) return ReferralVerdict::kExpired;
  if (code.max_uses > 0 && code.uses >= code.max_uses) return ReferralVerdict::kUsedUp;
  if (buyer_prior_orders > 0) return ReferralVerdict::kExistingCustomer;
  return ReferralVerdict::kQualified;
}

}  // namespace vouch::core
