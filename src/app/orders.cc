#include "app/orders.h"

#include <fmt/format.h>

#include "base/money.h"
#include "core/rewards.h"

namespace vouch::app {
namespace {

constexpr size_t kMaxRefundId = 200;

Result<store::Order> FindOrder(store::Tx& tx, const store::Shop& shop, const std::string& order_id) {
  auto order = tx.orders().Find(shop.id, order_id);
  if (!order) return order.error();
  if (!order->has_value()) return Error{Code::kNotFound, "order not found", "id"};
  return **order;
}

Status ValidateRefundId(const std::string& id) {
  if (id.empty()) return InvalidArgument("refund_id", "is required");
  if (id.size() > kMaxRefundId) return InvalidArgument("refund_id", "must be at most 200 characters");
  for (unsigned char c : id) {
    if (c < 0x20 || c == 0x7f) return InvalidArgument("refund_id", "must not contain control characters");
  }
  return OkStatus();
}

}  // namespace

Result<OrderChange> Orders::Refund(const store::Shop& shop, const std::string& order_id,
                                   const std::string& refund_id, const std::string& amount_text) {
  VOUCH_TRY(ValidateRefundId(refund_id));
  const Instant now = clock_.Now();
  return store_.Write<OrderChange>([&](store::Tx& tx) -> Result<OrderChange> {
    OrderChange change;
    auto order = FindOrder(tx, shop, order_id);
    if (!order) return order.error();
    change.order = *order;
    auto amount = ParseAmount(amount_text, order->currency, "amount");
    if (!amount) return amount.error();
    if (*amount <= 0) return InvalidArgument("amount", "must be more than zero");

    store::OrderRefund refund;
    refund.shop_id = shop.id;
    refund.order_id = order->id;
    refund.refund_id = refund_id;
    refund.amount_minor = *amount;
    refund.created_at = now;
    auto known = tx.orders().FindRefund(order->id, refund_id);
    if (!known) return known.error();
    bool added = false;
    if (!known->has_value()) {
      const int64_t left = order->total_minor - order->refunded_minor;
      if (*amount > left) {
        return InvalidArgument("amount", fmt::format("is more than is left to refund ({} {})",
                                                     FormatAmount(left, order->currency), order->currency));
      }
      auto inserted = tx.orders().AddRefund(refund);
      if (!inserted) return inserted.error();
      added = *inserted;
    }
    if (!added) {  // a replay, or another node recorded it first
      auto again = tx.orders().FindRefund(order->id, refund_id);
      if (!again) return again.error();
      if (!again->has_value()) return Internal("refund neither new nor known");
      if ((*again)->amount_minor != *amount) {
        return Error{Code::kAlreadyExists, "this refund_id was recorded with another amount", "refund_id"};
      }
      refund = **again;
    }
    auto now_order = FindOrder(tx, shop, order_id);
    if (!now_order) return now_order.error();
    change.order = *now_order;
    change.refund = refund;
    change.created = added;
    VOUCH_TRY(ApplyInTx(tx, shop, change, now));
    return change;
  });
}

Result<OrderChange> Orders::Cancel(const store::Shop& shop, const std::string& order_id) {
  const Instant now = clock_.Now();
  return store_.Write<OrderChange>([&](store::Tx& tx) -> Result<OrderChange> {
    OrderChange change;
    auto order = FindOrder(tx, shop, order_id);
    if (!order) return order.error();
    auto cancelled = tx.orders().Cancel(order->id, now);
    if (!cancelled) return cancelled.error();
    change.created = *cancelled;
    auto now_order = FindOrder(tx, shop, order_id);
    if (!now_order) return now_order.error();
    change.order = *now_order;
    VOUCH_TRY(ApplyInTx(tx, shop, change, now));
    return change;
  });
}

Status Orders::ApplyInTx(store::Tx& tx, const store::Shop& shop, OrderChange& change, Instant now) {
  const store::Order& order = change.order;
  if (!order.referral_id) return OkStatus();
  auto referral = tx.referrals().Get(*order.referral_id);
  if (!referral) return referral.error();
  if (!referral->has_value()) return OkStatus();
  change.referral = **referral;
  const bool cancelled = order.cancelled_at.has_value();
  const int64_t net = core::NetRevenue(order.total_minor, order.refunded_minor, cancelled);
  if (change.referral->revenue_minor != net) {
    VOUCH_TRY(tx.referrals().SetRevenue(change.referral->id, net));
    change.referral->revenue_minor = net;
  }
  auto reward = tx.referrals().FindRewardByReferral(change.referral->id);
  if (!reward) return reward.error();
  if (!reward->has_value()) return OkStatus();
  change.reward = **reward;
  const core::RewardLoss loss = core::JudgeOrderChange(order.total_minor, order.refunded_minor, cancelled,
                                                       shop.settings.reward_min_order);
  if (loss == core::RewardLoss::kNone) return OkStatus();
  auto reversed = rewards_.ReverseInTx(tx, *change.reward, core::RewardLossName(loss), now);
  if (!reversed) return reversed.error();
  change.reward = *reversed;
  return OkStatus();
}

}  // namespace vouch::app
