#pragma once
// Referral codes, the referrals they attribute and the rewards those earn.
// Plain records; money in minor units, time as Instant (UTC).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/time.h"
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
};

struct Referral {
  Id id = 0;
  Id shop_id = 0;
  Id order_id = 0;
  Id code_id = 0;
  Id promoter_id = 0;
  core::ReferralVerdict status = core::ReferralVerdict::kQualified;  // qualified, or the rejection reason
  int64_t revenue_minor = 0;
  std::string currency;
  Instant created_at{};
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
};

// One step of a reward in the ledger. Kinds: "earned", "held", "released", "voided",
// "clawed_back".
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
