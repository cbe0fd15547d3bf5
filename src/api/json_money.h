#pragma once
// Money matters in JSON (issue 11): refund and cancellation bodies in, an order's change (its
// refunds, its referral's net revenue and the reward's state) and a promoter's reward ledger
// out. Parsers name the offending field in the error. Pure functions, thread-safe.
#include <string>
#include <string_view>
#include <vector>

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
// GET /api/v1/referrals: {"referrals": [...], "next_after": id | null (when `limit` were listed)}.
std::string ReferralsJson(const std::vector<store::ReferralRow>& rows, int limit);
// One referral as the review queue shows it.
std::string ReferralJson(const store::ReferralRow& row);
// One reward as the API shows it (also inside the other documents).
std::string RewardJson(const store::Reward& w);

}  // namespace vouch::api
