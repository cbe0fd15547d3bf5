#pragma once
// Rewards as a ledger: a qualified referral earns its promoter a reward, held through the
// shop's return window (reward_hold_seconds after the order) and then released by a job
// (JobKind::kRewardRelease, run by the workers), which queues the reward mail; with no hold it
// is released at once. Past the shop's reward_cap_per_month a referral earns a reward that is
// voided at once ("monthly_cap"). A refund or a cancellation of the referred order voids a held
// reward, or claws back a released one. Every step is an entry (store::RewardEntry) with its
// time and reason, readable per promoter. Steps move a reward only from the state they expect
// (store::Referrals::MoveReward), so two nodes, or a refund racing a release, never take one
// step twice.
// Thread-safe. The *InTx steps run inside a caller's write transaction (they never commit).
// Errors: kNotFound for an unknown promoter, store errors.
#include <optional>
#include <string>
#include <vector>

#include "app/webhooks.h"
#include "base/result.h"
#include "base/time.h"
#include "store/store.h"

namespace vouch::app {

// A promoter's rewards (newest first) and the ledger of them (oldest first).
struct PromoterRewards {
  std::vector<store::Reward> rewards;
  std::vector<store::RewardEntry> entries;
};

class Rewards {
 public:
  Rewards(store::Store& store, const Clock& clock, Webhooks& webhooks)
      : store_(store), clock_(clock), webhooks_(webhooks) {}

  // The reward of a qualified referral whose order was placed at `order_time`: a new voucher
  // code; entry "earned", then "held" (with its release job queued for the hold's end),
  // "released" (no hold: its mail queued now) or "voided" (over the monthly cap).
  Result<store::Reward> EarnInTx(store::Tx& tx, const store::Shop& shop, store::Id referral,
                                 store::Id promoter, Instant order_time, Instant now);
  // Takes the reward back for `reason` ("refunded", "cancelled", "below_min_order", ...): a held
  // one is voided, a released one clawed back (entry "voided" or "clawed_back"); one already
  // reversed stays as it is. A clawed-back reward's voucher is voided when no order carried it
  // yet (entry "voucher_voided"); one already used stays (entry "voucher_redeemed" naming the
  // order: the shop settles it by hand). Returns the reward as it now stands.
  Result<store::Reward> ReverseInTx(store::Tx& tx, const store::Reward& reward, const std::string& reason,
                                    Instant now);

  // The vouchers among `order`'s discount codes: each reward of the shop whose code the order
  // carries records its first such order (Reward::voucher_used_*); a voucher voided before gets
  // the entry "voided_voucher_used" naming the order, so the shop sees it in the ledger. Codes
  // that cannot be vouchers (core::MayBeRewardCode) cost no statement.
  Status NoteVouchersInTx(store::Tx& tx, store::Id shop, const store::Order& order, Instant now);

  // What a kRewardRelease job does, in one transaction with the job's outcome: a reward still
  // held is released (entry "released", its mail job queued now) and the job is done; one
  // voided meanwhile is left alone and the job skipped with that reason. Returns the skip reason,
  // or "" when released.
  Result<std::string> Release(const store::Job& job);

  // The promoter's rewards and ledger in `shop`.
  Result<PromoterRewards> ForPromoter(store::Id shop, store::Id promoter);

 private:
  store::Store& store_;
  const Clock& clock_;
  Webhooks& webhooks_;
};

// A ledger entry for `reward` of `kind` at `at`.
store::RewardEntry EntryOf(const store::Reward& reward, const char* kind, const std::string& reason,
                           Instant at);

}  // namespace vouch::app
