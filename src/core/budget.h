#pragma once
// One message budget (issue 11): no customer gets more than a shop's `max_messages` marketing
// messages — surveys, activation mails, reminders, on any channel — within `budget_days`.
// Reward notices and transactional replies are not marketing and never count. Pure.
#include <cstdint>

#include "base/time.h"

namespace vouch::core {

// The reason a message over the budget is skipped with (shown in /api/v1/jobs, counted by the
// funnel).
inline constexpr const char* kOverBudget = "over_budget";

struct MessageBudget {
  int64_t max_messages = 3;  // 0: no budget
  int64_t days = 30;
};

// Where the window of a message sent at `now` begins: messages sent at or after it count.
Instant BudgetWindowStart(const MessageBudget& budget, Instant now);

// Whether one more marketing message, after `sent_in_window` in the window, would exceed it.
bool OverBudget(const MessageBudget& budget, int64_t sent_in_window);

}  // namespace vouch::core
