#pragma once
// Money matters in JSON (issue 11): refund and cancellation bodies in, an order's change (its
// refunds, its referral's net revenue and the reward's state) and a promoter's reward ledger
// out. Parsers name the offending field in the error. Pure functions, thread-safe.
#include <string>
#include <string_view>

#include "app/orders.h"
#include "app/rewards.h"
#include "base/result.h"

namespace vouch::api {

// POST /api/v1/orders/{id}/refunds: {"refund_id": text or integer, "amount": decimal text or number}.
struct RefundRequest {
  std::string refund_id;
  std::string amount;  // decimal, as sent; the order's currency decides its digits (app::Orders)
};
Result<RefundRequest> ParseRefund(std::string_view body);

std::string ToJson(const app::OrderChange& c);
std::string ToJson(const app::PromoterRewards& r);
// One reward as the API shows it (also inside the other documents).
std::string RewardJson(const store::Reward& w);

}  // namespace vouch::api
