#include "store/sql/sql_reports.h"

#include <algorithm>

namespace vouch::store::sql {

Result<std::vector<DayCounts>> SqlReports::RollupByDay(Id shop, int64_t from_day, int64_t to_day,
                                                       const std::optional<std::string>& segment) {
  // One row per day: nps_daily_total without a segment, nps_daily with one. Read in key order
  // without GROUP BY (SQLite's eleven SUMs per group cost more than reading the rows) and
  // streamed, not materialised.
  static constexpr std::string_view kAll =
      "SELECT day, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10 FROM nps_daily_total "
      "WHERE shop_id = ?1 AND day >= ?2 AND day < ?3 ORDER BY day";
  static constexpr std::string_view kOne =
      "SELECT day, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10 FROM nps_daily "
      "WHERE shop_id = ?1 AND day >= ?2 AND day < ?3 AND segment = ?4 ORDER BY day";
  std::vector<DayCounts> out;
  out.reserve(static_cast<size_t>(std::clamp<int64_t>(to_day - from_day, 0, 1 << 16)));
  auto add = [&out](const Row& r) {
    const int64_t day = Int(r, 0);
    if (out.empty() || out.back().day != day) out.push_back(DayCounts{day, {}});
    auto& counts = out.back().counts.by_score;
    for (size_t i = 0; i < counts.size(); ++i) counts[i] += Int(r, i + 1);
  };
  VOUCH_TRY(segment ? c_.QueryEach(kOne, {shop, from_day, to_day, *segment}, add)
                    : c_.QueryEach(kAll, {shop, from_day, to_day}, add));
  return out;
}

Result<std::vector<std::string>> SqlReports::Segments(Id shop) {
  return Many<std::string>(c_, "SELECT DISTINCT segment FROM nps_daily WHERE shop_id = ?1 ORDER BY segment",
                           {shop}, [](const Row& r) { return Text(r, 0); });
}

Result<std::vector<SegmentCounts>> SqlReports::SegmentTotals(Id shop, int64_t from_day, int64_t to_day) {
  // nps_daily has one row per (day, segment) with answers: a year of a shop's ten categories is
  // a few thousand rows, summed here rather than by eleven SQL SUMs per group (see RollupByDay).
  static constexpr std::string_view kSql =
      "SELECT segment, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10 FROM nps_daily "
      "WHERE shop_id = ?1 AND day >= ?2 AND day < ?3 ORDER BY segment";
  std::vector<SegmentCounts> out;
  VOUCH_TRY(c_.QueryEach(kSql, {shop, from_day, to_day}, [&out](const Row& r) {
    std::string segment = Text(r, 0);
    if (out.empty() || out.back().segment != segment) out.push_back(SegmentCounts{std::move(segment), {}});
    auto& counts = out.back().counts.by_score;
    for (size_t i = 0; i < counts.size(); ++i) counts[i] += Int(r, i + 1);
  }));
  return out;
}

Result<std::vector<CategoryCount>> SqlReports::Categories(Id shop) {
  return Many<CategoryCount>(
      c_,
      "SELECT i.category, COUNT(DISTINCT i.order_id) FROM orders o "
      "JOIN order_items i ON i.order_id = o.id WHERE o.shop_id = ?1 AND i.category <> '' "
      "GROUP BY i.category ORDER BY i.category",
      {shop}, [](const Row& r) {
        return CategoryCount{Text(r, 0), Int(r, 1)};
      });
}

Result<Funnel> SqlReports::FunnelCounts(Id shop, Instant from, Instant to) {
  // Stages up to activation follow the cohort of orders placed in [from, to) (a survey, its
  // answer and the activation it caused count with their order); share visits, referred orders
  // and rewards count by their own time in [from, to).
  auto rows = c_.Query(
      "SELECT "
      "(SELECT COUNT(*) FROM orders WHERE shop_id = ?1 AND created_at >= ?2 AND created_at < ?3), "
      "sv.total, sv.sent, sv.answered, sv.promoters, "
      // Activated: the cohort's codes whose activation went out, read from the shop's codes (a
      // join from the jobs side would walk every done job of every shop).
      "(SELECT COUNT(*) FROM referral_codes c JOIN surveys s ON s.id = c.survey_id "
      "   WHERE c.shop_id = ?1 AND s.order_at >= ?2 AND s.order_at < ?3 AND EXISTS (SELECT 1 FROM jobs j "
      "   WHERE j.kind = 'activation' AND j.ref_id = c.id AND j.status = 'done')), "
      "(SELECT COUNT(*) FROM share_visits v JOIN referral_codes c ON c.id = v.code_id "
      "   WHERE c.shop_id = ?1 AND v.at >= ?2 AND v.at < ?3), "
      "(SELECT COUNT(*) FROM referrals WHERE shop_id = ?1 AND status = 'qualified' "
      "   AND created_at >= ?2 AND created_at < ?3), "
      "(SELECT COALESCE(SUM(revenue_minor), 0) FROM referrals WHERE shop_id = ?1 "
      "   AND status = 'qualified' AND created_at >= ?2 AND created_at < ?3), "
      // Rewards: only released ones that stand (not held, voided or clawed back) cost the shop.
      "(SELECT COUNT(*) FROM rewards WHERE shop_id = ?1 AND created_at >= ?2 AND created_at < ?3 "
      "   AND status = 'released'), "
      "(SELECT COALESCE(SUM(amount_minor), 0) FROM rewards WHERE shop_id = ?1 "
      "   AND created_at >= ?2 AND created_at < ?3 AND status = 'released'), "
      "rm.reminded, rm.after_reminder, "
      "(SELECT COUNT(*) FROM jobs WHERE shop_id = ?1 AND status = 'skipped' AND last_error = 'over_budget' "
      "   AND finished_at >= ?2 AND finished_at < ?3) "
      // The cohort's surveys in one pass over the covering index surveys_shop_order_at (the
      // order's time is on its survey since migration 0021: no lookup of a million orders).
      "FROM (SELECT COUNT(*) AS total, "
      "  COALESCE(SUM(CASE WHEN s.status = 'sent' THEN 1 ELSE 0 END), 0) AS sent, "
      "  COALESCE(SUM(CASE WHEN s.answer_state IN ('counted', 'confirmed') "
      "    THEN 1 ELSE 0 END), 0) AS answered, "
      "  COALESCE(SUM(CASE WHEN s.answer_state IN ('counted', 'confirmed') AND s.score >= 9 "
      "    THEN 1 ELSE 0 END), 0) AS promoters "
      "  FROM surveys s WHERE s.shop_id = ?1 AND s.order_at >= ?2 AND s.order_at < ?3) sv, "
      // The cohort's reminders sent (a survey has one channel, so at most one such job) and the
      // answers that came after them: the response rate with and without reminders. Read from
      // the reminder jobs' side (few, or none when the shop sends none) rather than probing the
      // jobs for each of the cohort's surveys: half the funnel's time at a million surveys.
      "(SELECT COUNT(*) AS reminded, "
      "  COALESCE(SUM(CASE WHEN s.answer_state IN ('counted', 'confirmed') "
      "    AND s.answered_at >= r.finished_at THEN 1 ELSE 0 END), 0) AS after_reminder "
      "  FROM jobs r JOIN surveys s ON s.id = r.ref_id "
      "  WHERE r.kind = 'reminder' AND r.status = 'done' AND r.shop_id = ?1 "
      "  AND s.order_at >= ?2 AND s.order_at < ?3) rm",
      {shop, Ms(from), Ms(to)});
  if (!rows) return rows.error();
  const Row& r = rows->front();
  Funnel f;
  f.orders = Int(r, 0);
  f.surveys_scheduled = Int(r, 1);
  f.surveys_sent = Int(r, 2);
  f.responses = Int(r, 3);
  f.promoters = Int(r, 4);
  f.activated = Int(r, 5);
  f.share_visits = Int(r, 6);
  f.referred_orders = Int(r, 7);
  f.referred_revenue_minor = Int(r, 8);
  f.rewards = Int(r, 9);
  f.reward_cost_minor = Int(r, 10);
  f.reminders_sent = Int(r, 11);
  f.responses_after_reminder = Int(r, 12);
  f.over_budget = Int(r, 13);
  return f;
}

}  // namespace vouch::store::sql
