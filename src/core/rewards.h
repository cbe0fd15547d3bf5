#pragma once
// Reward rules: what a refund or a cancellation of a referred order does to its reward. Pure
// functions, no I/O, thread-safe.
#include <cstdint>

#include "base/time.h"

namespace vouch::core {

// Why a reward is lost after a change to its order; kNone: it stands.
enum class RewardLoss {
  kNone,
  kRefunded,       // fully refunded
  kCancelled,      // cancelled
  kBelowMinOrder,  // partly refunded to below the shop's minimum order value
};
// "refunded", "cancelled", "below_min_order" ("" for kNone).
const char* RewardLossName(RewardLoss l);

// What the order still brings in: its total less refunds, 0 once cancelled, never negative.
int64_t NetRevenue(int64_t total_minor, int64_t refunded_minor, bool cancelled);

// Whether a referred order of `total_minor`, refunded by `refunded_minor` (and perhaps
// cancelled), still earns its reward. `min_order_minor` 0: no minimum. A cancellation comes
// first, then a full refund (net 0 of a non-zero total), then the minimum.
RewardLoss JudgeOrderChange(int64_t total_minor, int64_t refunded_minor, bool cancelled,
                            int64_t min_order_minor);

// The UTC calendar month `t` falls in: [from, to).
struct MonthSpan {
  Instant from, to;
};
MonthSpan UtcMonthOf(Instant t);

// Whether a promoter who already earned `earned_this_month` rewards this month may earn another
// under the shop's cap (`cap` 0: no cap).
bool WithinMonthlyCap(int64_t earned_this_month, int64_t cap);

// When a reward earned by an order placed at `order_time` is released: after `hold_seconds`.
Instant HoldEnds(Instant order_time, int64_t hold_seconds);

}  // namespace vouch::core
