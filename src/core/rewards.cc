#include "core/rewards.h"

#include <algorithm>

namespace vouch::core {

const char* RewardLossName(RewardLoss l) {
  switch (l) {
    case RewardLoss::kNone: return "";
    case RewardLoss::kRefunded: return "refunded";
    case RewardLoss::kCancelled: return "cancelled";
    case RewardLoss::kBelowMinOrder: return "below_min_order";
  }
  return "";
}

int64_t NetRevenue(int64_t total_minor, int64_t refunded_minor, bool cancelled) {
  if (cancelled) return 0;
  return std::max<int64_t>(0, total_minor - refunded_minor);
}

RewardLoss JudgeOrderChange(int64_t total_minor, int64_t refunded_minor, bool cancelled,
                            int64_t min_order_minor) {
  if (cancelled) return RewardLoss::kCancelled;
  if (refunded_minor <= 0) return RewardLoss::kNone;
  const int64_t net = NetRevenue(total_minor, refunded_minor, false);
  if (net == 0) return RewardLoss::kRefunded;
  if (min_order_minor > 0 && net < min_order_minor) return RewardLoss::kBelowMinOrder;
  return RewardLoss::kNone;
}

MonthSpan UtcMonthOf(Instant t) {
  using namespace std::chrono;
  const year_month_day ymd{floor<days>(t)};
  const year_month first = ymd.year() / ymd.month();
  const year_month next = first + months{1};
  return MonthSpan{Instant{sys_days{first / 1}}, Instant{sys_days{next / 1}}};
}

bool WithinMonthlyCap(int64_t earned_this_month, int64_t cap) { return cap <= 0 || earned_this_month < cap; }

Instant HoldEnds(Instant order_time, int64_t hold_seconds) {
  return order_time + std::chrono::seconds{std::max<int64_t>(0, hold_seconds)};
}

}  // namespace vouch::core
