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

}  // namespace vouch::core
