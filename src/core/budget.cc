#include "core/budget.h"

#include <algorithm>

namespace vouch::core {

Instant BudgetWindowStart(const MessageBudget& budget, Instant now) {
  return now - std::chrono::days{std::max<int64_t>(0, budget.days)};
}

bool OverBudget(const MessageBudget& budget, int64_t sent_in_window) {
  if (budget.max_messages <= 0) return false;
  return sent_in_window >= budget.max_messages;
}

}  // namespace vouch::core
