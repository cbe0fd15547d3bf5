#pragma once
// Referral codes, the referrals they attribute and the rewards those earn.
// Plain records; money in minor units, time as Instant (UTC).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "core/fraud.h"
#include "core/referral.h"
#include "store/records/id.h"

namespace vouch::store {

struct ReferralCode {
  Id id = 0;
  Id shop_id = 0;
  std::string code;
  Id promoter_id = 0;  // customer
  Id survey_id = 0;
  Instant created_at{};
  std::optional<Instant> expires_at;
  int64_t max_uses = 0;
  int64_t uses = 0;
  int64_t visits = 0;
  // Paused by the coupon-leak rule (core/signals.h) at this time, with the count of buyers beyond
  // the share link's visits it saw then; every later referral through it carries coupon_leak.
  std::optional<Instant> paused_at;
  int64_t paused_buyers = 0;
  // When the shop last resumed the code (POST /api/v1/codes/{code}/resume); the coupon-leak rule
  // counts only referrals from then on, so the next order does not pause it again at once.
  std::optional<Instant> resumed_at;
};

struct Referral {
  Id id = 0;
  Id shop_id = 0;
  Id order_id = 0;
  Id code_id = 0;
  Id promoter_id = 0;
  core::ReferralVerdict status = core::ReferralVerdict::kQualified;  // qualified, or the deciding rule
  int64_t revenue_minor = 0;  // net: the order's total less refunds (0 once cancelled)
  std::string currency;
  Instant created_at{};
  core::Decision decision = core::Decision::kQualified;
  std::vector<core::FiredRule> rules;  // the rules that fired and count, with their evidence
  std::optional<Instant> reviewed_at;  // when a person approved or rejected it
};

// Where a reward stands: held through the shop's return window, then released (its mail goes
// out), or voided while held, or clawed back after its release. Stored as "held", "released",
// "voided", "clawed_back".
enum class RewardStatus { kHeld, kReleased, kVoided, kClawedBack };
const char* RewardStatusName(RewardStatus s);
std::optional<RewardStatus> ParseRewardStatus(std::string_view s);

struct Reward {
  Id id = 0;
  Id shop_id = 0;
  Id referral_id = 0;
  Id promoter_id = 0;
  std::string code;
  int64_t amount_minor = 0;
  std::string currency;
  Instant created_at{};
  RewardStatus status = RewardStatus::kReleased;
  std::optional<Instant> hold_until;  // held ones: when the release job runs
  std::optional<Instant> released_at;
  std::optional<Instant> reversed_at;  // voided or clawed back
  std::string reverse_reason;          // why: refunded, cancelled, below_min_order, ...
  // The voucher (`code`): the first order of the shop that carried it among its discount codes
  // (its time and the shop's order id), and when a clawback voided it because it was unused.
  std::optional<Instant> voucher_used_at;
  std::string voucher_used_order;
  std::optional<Instant> voucher_voided_at;
};

// A referral as the review queue lists it: with its code, the buyer and its reward, if any.
struct ReferralRow {
  Referral referral;
  std::string code;
  std::string order_external_id;  // the shop's id of the referred order
  Id buyer_id = 0;                // customer
  std::optional<Reward> reward;
};

// Which referrals to list: made in [from, to), with this decision if set, older than the
// referral `before` (0: from the newest), at most `limit`, newest first.
struct ReferralFilter {
  Instant from{}, to{};
  std::optional<core::Decision> decision;
  Id before = 0;
  int limit = 50;
};

// One step of a reward in the ledger. Kinds: "earned", "held", "released", "voided",
// "clawed_back", and for its voucher "voucher_voided" (unused at the clawback),
// "voucher_redeemed" (already used at the clawback: the shop settles it by hand) and
// "voided_voucher_used" (an order carried the voucher after it was voided).
struct RewardEntry {
  Id id = 0;
  Id shop_id = 0;
  Id reward_id = 0;
  Id promoter_id = 0;
  std::string kind;
  int64_t amount_minor = 0;
  std::string currency;
  std::string reason;
  Instant at{};
};

}  // namespace vouch::store
