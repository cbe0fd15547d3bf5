#pragma once
// Referrals: promoters' referral codes, attributing an order that used one (with the fraud
// rules of core/referral.h and the promoter's reward); share-link visits are ShareVisits'
// (app/share_visits.h). Thread-safe. The *InTx steps run inside a caller's write transaction
// (they never commit). Errors: store errors.
#include <optional>
#include <string>
#include <string_view>

#include "app/links.h"
#include "base/result.h"
#include "base/time.h"
#include "core/referral.h"
#include "store/store.h"

namespace vouch::app {

struct ReferralOutcome {
  store::Id referral_id = 0;
  std::string code;
  core::ReferralVerdict status = core::ReferralVerdict::kQualified;  // qualified, or why not
  std::string reward_code;
};

class Referrals {
 public:
  Referrals(store::Store& store, const Clock& clock, const Links& links)
      : store_(store), clock_(clock), links_(links) {}

  // The referral `order` makes, if one of its discount codes is a referral code of the shop:
  // records it and, when it qualifies, the promoter's reward and its notice job.
  Result<std::optional<ReferralOutcome>> AttributeInTx(store::Tx& tx, const store::Shop& shop,
                                                       const store::Order& order,
                                                       const store::Customer& buyer, Instant now);
  // The promoter's code, created on first need.
  Result<store::ReferralCode> EnsureCodeInTx(store::Tx& tx, const store::Shop& shop,
                                             const store::Customer& promoter, store::Id survey, Instant now);

 private:
  store::Store& store_;
  const Clock& clock_;
  const Links& links_;
};

}  // namespace vouch::app
