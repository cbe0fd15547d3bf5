#pragma once
// Orders after they came in: refunds and cancellations, as a shop reports them. A refund is
// idempotent per (order, refund id): the same call again changes nothing and answers as the
// first did. Each lowers the referred revenue of the order's referral (if it made one) to its
// net (core::NetRevenue) and, when the order no longer earns a reward (core::JudgeOrderChange:
// fully refunded, cancelled, or below the shop's reward_min_order), voids the reward or, if it
// was already released, claws it back (app/rewards.h). All in one store transaction.
// Thread-safe; blocks on the store. Errors: kNotFound (unknown order of this shop),
// kInvalidArgument with the field ("refund_id", "amount": empty, malformed, zero, more than is
// left to refund), kAlreadyExists ("refund_id" known with another amount), store errors.
#include <optional>
#include <string>

#include "app/rewards.h"
#include "base/result.h"
#include "base/time.h"
#include "store/store.h"

namespace vouch::app {

struct OrderChange {
  bool created = false;                      // false: this refund (or the cancellation) was recorded before
  store::Order order;                        // as it stands after the change
  std::optional<store::OrderRefund> refund;  // the refund (Refund only)
  std::optional<store::Referral> referral;   // the order's referral, if it made one
  std::optional<store::Reward> reward;       // that referral's reward, if it earned one
};

class Orders {
 public:
  Orders(store::Store& store, const Clock& clock, Rewards& rewards)
      : store_(store), clock_(clock), rewards_(rewards) {}

  // A refund of `amount` (decimal text in the order's currency, "12.50") with the shop's
  // `refund_id` on the shop's order `order_id` (its external id).
  Result<OrderChange> Refund(const store::Shop& shop, const std::string& order_id,
                             const std::string& refund_id, const std::string& amount);
  Result<OrderChange> Cancel(const store::Shop& shop, const std::string& order_id);

 private:
  // The order's referral and reward after the order changed: net revenue, and the reward lost
  // when the order no longer earns it.
  Status ApplyInTx(store::Tx& tx, const store::Shop& shop, OrderChange& change, Instant now);

  store::Store& store_;
  const Clock& clock_;
  Rewards& rewards_;
};

}  // namespace vouch::app
