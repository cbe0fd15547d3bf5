// The reads of the referral generations (issue 16): who brought whom, and when promoters began.
#include "store/sql/sql_campaigns.h"

namespace vouch::store::sql {

Status SqlCampaigns::EachReferralEdge(Id shop, Instant to,
                                      const std::function<void(const ReferralEdge&)>& edge) {
  // A qualified referral on the friend's first order (no earlier order that was not cancelled,
  // ties by id); the subqueries walk one customer's orders (orders_customer) or one referral's
  // reward.
  static constexpr std::string_view kSql =
      "SELECT r.promoter_id, o.customer_id, r.created_at, "
      "  (SELECT COALESCE(SUM(p.total_minor - p.refunded_minor), 0) FROM orders p "
      "     WHERE p.customer_id = o.customer_id AND p.cancelled_at IS NULL AND p.created_at < ?2), "
      "  (SELECT COALESCE(SUM(w.amount_minor), 0) FROM rewards w WHERE w.referral_id = r.id "
      "     AND w.status = 'released') "
      "FROM referrals r JOIN orders o ON o.id = r.order_id "
      "WHERE r.shop_id = ?1 AND r.status = 'qualified' AND r.created_at < ?2 AND o.cancelled_at IS NULL "
      "  AND NOT EXISTS (SELECT 1 FROM orders e WHERE e.customer_id = o.customer_id "
      "     AND e.cancelled_at IS NULL AND (e.created_at < o.created_at "
      "     OR (e.created_at = o.created_at AND e.id < o.id))) "
      "ORDER BY r.created_at, r.id";
  return c_.QueryEach(kSql, {shop, Ms(to)}, [&edge](const Row& r) {
    ReferralEdge e;
    e.promoter_id = Int(r, 0);
    e.customer_id = Int(r, 1);
    e.at = FromUnixMillis(Int(r, 2));
    e.revenue_minor = Int(r, 3);
    e.reward_released_minor = Int(r, 4);
    edge(e);
  });
}

Status SqlCampaigns::EachActivation(Id shop, Instant to,
                                    const std::function<void(const PromoterActivation&)>& fn) {
  return c_.QueryEach(
      "SELECT promoter_id, created_at FROM referral_codes WHERE shop_id = ?1 AND created_at < ?2 "
      "ORDER BY created_at, id",
      {shop, Ms(to)}, [&fn](const Row& r) {
        fn(PromoterActivation{Int(r, 0), FromUnixMillis(Int(r, 1))});
      });
}

}  // namespace vouch::store::sql
