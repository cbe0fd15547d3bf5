#include "store/sql/sql_campaigns.h"

#include <fmt/format.h>

#include <map>

#include "store/sql/sql_audiences.h"

namespace vouch::store::sql {
namespace {

constexpr const char* kCampaignCols = "id, shop_id, name, kind, cost_minor, currency, created_at";

Campaign CampaignFrom(const Row& r) {
  Campaign c;
  c.id = Int(r, 0);
  c.shop_id = Int(r, 1);
  c.name = Text(r, 2);
  c.kind = Text(r, 3);
  c.cost_minor = Int(r, 4);
  c.currency = Text(r, 5);
  c.created_at = FromUnixMillis(Int(r, 6));
  return c;
}

}  // namespace

Result<std::vector<Campaign>> SqlCampaigns::List(Id shop) {
  std::vector<Campaign> out;
  std::map<Id, size_t> at;
  VOUCH_TRY(
      c_.QueryEach(std::string("SELECT ") + kCampaignCols + " FROM campaigns WHERE shop_id = ?1 ORDER BY id",
                   {shop}, [&](const Row& r) {
                     at[Int(r, 0)] = out.size();
                     out.push_back(CampaignFrom(r));
                   }));
  VOUCH_TRY(c_.QueryEach("SELECT campaign_id, code FROM campaign_codes WHERE shop_id = ?1 ORDER BY code",
                         {shop}, [&](const Row& r) {
                           auto it = at.find(Int(r, 0));
                           if (it != at.end()) out[it->second].codes.push_back(Text(r, 1));
                         }));
  return out;
}

Result<std::optional<Campaign>> SqlCampaigns::Find(Id shop, Id campaign) {
  auto c = One<Campaign>(
      c_, std::string("SELECT ") + kCampaignCols + " FROM campaigns WHERE shop_id = ?1 AND id = ?2",
      {shop, campaign}, CampaignFrom);
  if (!c || !c->has_value()) return c;
  VOUCH_TRY(
      c_.QueryEach("SELECT code FROM campaign_codes WHERE shop_id = ?1 AND campaign_id = ?2 ORDER BY code",
                   {shop, campaign}, [&](const Row& r) { (*c)->codes.push_back(Text(r, 0)); }));
  return c;
}

Status SqlCampaigns::EachNewCustomer(Id shop, Instant from, Instant to, const std::optional<AudienceCut>& cut,
                                     const std::function<void(const NewCustomerRow&)>& row) {
  // A first order: no earlier order of the customer that was not cancelled (ties by id). The
  // subqueries each walk one customer's orders (orders_customer) or one order's referral.
  static constexpr std::string_view kSql =
      "SELECT o.customer_id, o.total_minor - o.refunded_minor, o.discount_codes, "
      "  CASE WHEN r.id IS NULL THEN 0 ELSE 1 END, "
      "  (SELECT COALESCE(SUM(w.amount_minor), 0) FROM rewards w WHERE w.referral_id = r.id "
      "     AND w.status = 'released'), "
      "  (SELECT COALESCE(SUM(p.total_minor - p.refunded_minor), 0) FROM orders p "
      "     WHERE p.customer_id = o.customer_id AND p.cancelled_at IS NULL AND p.created_at < ?3 "
      "     AND (p.created_at > o.created_at OR p.id = o.id)), "
      "  CASE WHEN EXISTS (SELECT 1 FROM orders p WHERE p.customer_id = o.customer_id "
      "     AND p.cancelled_at IS NULL AND p.id <> o.id AND p.created_at >= o.created_at) THEN 1 ELSE 0 END, "
      "  (SELECT s.score FROM surveys s WHERE s.customer_id = o.customer_id AND s.score IS NOT NULL "
      "     AND s.answer_state IN ('counted', 'confirmed', 'suspect') "
      "     ORDER BY s.answered_at DESC, s.id DESC LIMIT 1), "
      "  (SELECT v.discount_kind FROM experiment_assignments a JOIN experiment_variants v "
      "     ON v.experiment_id = a.experiment_id AND v.variant = a.variant "
      "     WHERE a.shop_id = o.shop_id AND a.customer_id = r.promoter_id AND a.code_id = r.code_id LIMIT "
      "1), "
      "  (SELECT v.discount_value FROM experiment_assignments a JOIN experiment_variants v "
      "     ON v.experiment_id = a.experiment_id AND v.variant = a.variant "
      "     WHERE a.shop_id = o.shop_id AND a.customer_id = r.promoter_id AND a.code_id = r.code_id LIMIT "
      "1), "
      "  {} "
      "FROM orders o LEFT JOIN referrals r ON r.order_id = o.id AND r.status = 'qualified' "
      "WHERE o.shop_id = ?1 AND o.created_at >= ?2 AND o.created_at < ?3 AND o.cancelled_at IS NULL "
      "  AND NOT EXISTS (SELECT 1 FROM orders e WHERE e.customer_id = o.customer_id "
      "     AND e.cancelled_at IS NULL AND (e.created_at < o.created_at "
      "     OR (e.created_at = o.created_at AND e.id < o.id)))";
  // The audience cut: the first order, its survey (if any) and its customer in the audience.
  std::vector<Value> params{shop, Ms(from), Ms(to)};
  std::string in_audience = "1";
  if (cut) {
    in_audience =
        "CASE WHEN EXISTS (SELECT 1 FROM customers c LEFT JOIN surveys s ON s.order_id = o.id "
        "WHERE c.id = o.customer_id AND " +
        AudienceCondition(cut->audience, cut->shop_locale, params) + ") THEN 1 ELSE 0 END";
  }
  return c_.QueryEach(fmt::format(kSql, in_audience), params, [&row](const Row& r) {
    NewCustomerRow n;
    n.customer_id = Int(r, 0);
    n.first_order_net_minor = Int(r, 1);
    n.discount_codes = SplitLines(Text(r, 2));
    n.referred = Int(r, 3) != 0;
    n.reward_released_minor = Int(r, 4);
    n.revenue_minor = Int(r, 5);
    n.repeat = Int(r, 6) != 0;
    if (auto s = OptInt(r, 7)) n.score = static_cast<int>(*s);
    if (auto v = OptInt(r, 9)) {  // the code's experiment variant
      n.variant_discount_kind = Text(r, 8);
      n.variant_discount_value = *v;
    }
    n.in_audience = Int(r, 10) != 0;
    row(n);
  });
}

Result<Id> SqlCampaigns::Insert(const Campaign& c) {
  auto id = InsertReturningId(c_,
                              "INSERT INTO campaigns (shop_id, name, kind, cost_minor, currency, created_at) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                              {c.shop_id, c.name, c.kind, c.cost_minor, c.currency, Ms(c.created_at)});
  if (!id) return id.error();
  for (const auto& code : c.codes) {
    // ON CONFLICT DO NOTHING: a failed statement would abort a PostgreSQL transaction.
    auto rows = c_.Query(
        "INSERT INTO campaign_codes (shop_id, code, campaign_id) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (shop_id, code) DO NOTHING RETURNING campaign_id",
        {c.shop_id, code, *id});
    if (!rows) return rows.error();
    if (rows->empty()) {
      return Error{Code::kAlreadyExists, "code " + code + " already belongs to another campaign", "codes"};
    }
  }
  return *id;
}

Result<int64_t> SqlCampaigns::Delete(Id shop, Id campaign) {
  auto codes =
      c_.Exec("DELETE FROM campaign_codes WHERE shop_id = ?1 AND campaign_id = ?2", {shop, campaign});
  if (!codes) return codes.error();
  return c_.Exec("DELETE FROM campaigns WHERE shop_id = ?1 AND id = ?2", {shop, campaign});
}

}  // namespace vouch::store::sql
