#pragma once
// Referrals: promoters' referral codes and attributing an order to one: a discount code it used,
// else a code its landing URL holds after a visit to that code's share link within the shop's
// attribution_days (share-link visits are ShareVisits', app/share_visits.h). Attribution runs every
// rule (core/referral.h's JudgeReferral, core/fraud.h's velocity and disposable email,
// core/signals.h's shared network), keeps the ones that fired with their evidence, and decides
// with the shop's rule actions: qualified (the promoter's reward, app/rewards.h), pending_review (a
// person approves or rejects it: the review queue) or rejected. Thread-safe. The *InTx steps run
// inside a caller's write transaction (they never commit); the others are use cases of their own.
// Errors: kNotFound for an unknown code or referral, kFailedPrecondition for reviewing a referral
// that is not pending review or approving one whose code has no use left, store errors.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/links.h"
#include "app/rewards.h"
#include "app/unsubscribes.h"
#include "base/result.h"
#include "base/time.h"
#include "core/referral.h"
#include "store/store.h"

namespace vouch::app {

struct ReferralOutcome {
  store::Id referral_id = 0;
  std::string code;
  core::ReferralVerdict status = core::ReferralVerdict::kQualified;  // qualified, or the deciding rule
  core::Decision decision = core::Decision::kQualified;
  std::vector<core::FiredRule> rules;
  std::string reward_code;
};

class Referrals {
 public:
  // `keys` holds the identity key the networks promoters answered from are hashed under.
  Referrals(store::Store& store, const Clock& clock, const Links& links, Rewards& rewards, Webhooks& webhooks,
            Unsubscribes& keys)
      : store_(store), clock_(clock), links_(links), rewards_(rewards), webhooks_(webhooks), keys_(keys) {}

  // The referral `order` makes, if one of its discount codes is a referral code of the shop:
  // records it and, when it qualifies, the promoter's reward (app/rewards.h).
  Result<std::optional<ReferralOutcome>> AttributeInTx(store::Tx& tx, const store::Shop& shop,
                                                       const store::Order& order,
                                                       const store::Customer& buyer, Instant now);
  // The reward vouchers `order` carries (Rewards::NoteVouchersInTx).
  Status NoteVouchersInTx(store::Tx& tx, store::Id shop, const store::Order& order, Instant now) {
    return rewards_.NoteVouchersInTx(tx, shop, order, now);
  }
  // The promoter's code, created on first need.
  Result<store::ReferralCode> EnsureCodeInTx(store::Tx& tx, const store::Shop& shop,
                                             const store::Customer& promoter, store::Id survey, Instant now);

  // The shop's referrals, newest first (the review queue: decision pending_review).
  Result<std::vector<store::ReferralRow>> List(store::Id shop, const store::ReferralFilter& filter);
  // A person's review of a referral pending review. Approve qualifies it (the code's use counted,
  // the promoter's reward made and held as any); Reject rejects it. Each answers the referral
  // as it then stands; the same review again answers it unchanged. Approve takes the code's lock
  // (as attribution does) and answers kFailedPrecondition when the code has no use left
  // (code_max_uses).
  Result<store::ReferralRow> Approve(const store::Shop& shop, store::Id referral);
  Result<store::ReferralRow> Reject(const store::Shop& shop, store::Id referral);
  // Resumes the shop's code paused by the coupon-leak rule: the rule counts only referrals from
  // now on and a later pause mails the shop again. A code resumed before (not paused since)
  // answers unchanged (idempotent); kNotFound for an unknown code, kFailedPrecondition for a
  // code never paused; both name "code".
  Result<store::ReferralCode> ResumeCode(const store::Shop& shop, const std::string& code);

 private:
  store::Store& store_;
  const Clock& clock_;
  const Links& links_;
  Rewards& rewards_;
  Webhooks& webhooks_;
  Unsubscribes& keys_;
};

}  // namespace vouch::app
