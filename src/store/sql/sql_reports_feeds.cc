// The paged reads behind the answers feed, the exports and a promoter's page (SqlReports).
#include <limits>

#include <fmt/format.h>

#include "store/sql/sql_audiences.h"
#include "store/sql/sql_reports.h"

namespace vouch::store::sql {
namespace {

// A LIKE pattern matching `text` literally anywhere: \, % and _ escaped with '\'.
std::string ContainsPattern(const std::string& text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '\\' || c == '%' || c == '_') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

// Promoters with what they brought in over [?2, ?3) (?1 the shop), for the leaderboard and the
// export alike; the caller adds the order and the limit.
constexpr std::string_view kPromoterSelect =
    "SELECT c.id, c.external_id, c.email, c.first_name, c.last_name, k.code, k.visits, "
    // A code is its promoter's only one (UNIQUE (shop_id, promoter_id)): going through
    // referrals_promoter finds a code's referrals without reading them all.
    "  (SELECT COUNT(*) FROM referrals r WHERE r.promoter_id = c.id AND r.code_id = k.id "
    "     AND r.status = 'qualified' AND r.created_at >= ?2 AND r.created_at < ?3) AS n, "
    "  (SELECT COALESCE(SUM(r.revenue_minor), 0) FROM referrals r WHERE r.promoter_id = c.id "
    "     AND r.code_id = k.id AND r.status = 'qualified' AND r.created_at >= ?2 AND r.created_at < ?3) "
    "     AS revenue, "
    "  (SELECT COALESCE(SUM(w.amount_minor), 0) FROM rewards w WHERE w.promoter_id = c.id "
    "     AND w.created_at >= ?2 AND w.created_at < ?3 AND w.status = 'released') AS cost, k.id "
    "FROM referral_codes k JOIN customers c ON c.id = k.promoter_id "
    "JOIN surveys s ON s.id = k.survey_id WHERE k.shop_id = ?1 "
    // A code issued on a click later withdrawn (a scanner burst) is no promoter's, unless it has
    // brought referrals all the same.
    "AND ((s.score >= 9 AND s.answer_state IN ('counted', 'confirmed')) OR k.uses > 0) ";

PromoterRow PromoterFrom(const Row& r) {
  PromoterRow p;
  p.customer_id = Int(r, 0);
  p.external_id = Text(r, 1);
  p.email = Text(r, 2);
  p.first_name = Text(r, 3);
  p.last_name = Text(r, 4);
  p.code = Text(r, 5);
  p.visits = Int(r, 6);
  p.referrals = Int(r, 7);
  p.revenue_minor = Int(r, 8);
  p.reward_cost_minor = Int(r, 9);
  p.code_id = Int(r, 10);
  return p;
}

}  // namespace

Result<std::vector<PromoterRow>> SqlReports::TopPromoters(Id shop, Instant from, Instant to, int limit) {
  return Many<PromoterRow>(
      c_, fmt::format("{}ORDER BY revenue DESC, n DESC, k.visits DESC, c.id LIMIT ?4", kPromoterSelect),
      {shop, Ms(from), Ms(to), int64_t{limit}}, PromoterFrom);
}

Status SqlReports::EachPromoter(Id shop, Instant from, Instant to, Id after_code, int limit,
                                const std::function<void(const PromoterRow&)>& row) {
  return c_.QueryEach(fmt::format("{}AND k.id > ?4 ORDER BY k.id LIMIT ?5", kPromoterSelect),
                      {shop, Ms(from), Ms(to), after_code, int64_t{limit}},
                      [&](const Row& r) { row(PromoterFrom(r)); });
}

Result<std::optional<PromoterPage>> SqlReports::Promoter(Id shop, const std::string& external_id) {
  auto customer = One<Customer>(
      c_, fmt::format("SELECT {} FROM customers WHERE shop_id = ?1 AND external_id = ?2", kCustomerCols),
      {shop, external_id}, CustomerFrom);
  if (!customer) return customer.error();
  if (!*customer) return std::optional<PromoterPage>{};
  PromoterPage page;
  page.customer = std::move(**customer);
  const Id id = page.customer.id;
  auto codes = Many<ReferralCode>(
      c_,
      fmt::format("SELECT {} FROM referral_codes WHERE shop_id = ?1 AND promoter_id = ?2 ORDER BY id",
                  kCodeCols),
      {shop, id}, CodeFrom);
  if (!codes) return codes.error();
  page.codes = std::move(*codes);
  auto answers = Many<PromoterAnswer>(
      c_,
      "SELECT s.id, o.external_id, s.score, s.comment, s.answer_state, s.answered_at FROM surveys s "
      "JOIN orders o ON o.id = s.order_id WHERE s.shop_id = ?1 AND s.customer_id = ?2 "
      "AND s.answer_state IN ('counted', 'confirmed', 'suspect') ORDER BY s.answered_at DESC, s.id DESC",
      {shop, id}, [](const Row& r) {
        PromoterAnswer a;
        a.survey_id = Int(r, 0);
        a.order_external_id = Text(r, 1);
        a.score = static_cast<int>(Int(r, 2));
        a.comment = Text(r, 3);
        a.state = ParseAnswerState(Text(r, 4));
        a.answered_at = Time(r, 5);
        return a;
      });
  if (!answers) return answers.error();
  page.answers = std::move(*answers);
  auto referrals = Many<PromoterReferral>(
      c_,
      "SELECT r.id, o.external_id, k.code, r.status, r.revenue_minor, r.currency, r.created_at "
      "FROM referrals r JOIN orders o ON o.id = r.order_id JOIN referral_codes k ON k.id = r.code_id "
      "WHERE r.shop_id = ?1 AND r.promoter_id = ?2 ORDER BY r.created_at DESC, r.id DESC",
      {shop, id}, [](const Row& r) {
        PromoterReferral x;
        x.id = Int(r, 0);
        x.order_external_id = Text(r, 1);
        x.code = Text(r, 2);
        x.status = Text(r, 3);
        x.revenue_minor = Int(r, 4);
        x.currency = Text(r, 5);
        x.created_at = Time(r, 6);
        return x;
      });
  if (!referrals) return referrals.error();
  page.referrals = std::move(*referrals);
  auto rewards = Many<Reward>(c_,
                              fmt::format("SELECT {} FROM rewards WHERE shop_id = ?1 AND promoter_id = ?2 "
                                          "ORDER BY created_at DESC, id DESC",
                                          kRewardCols),
                              {shop, id}, RewardFrom);
  if (!rewards) return rewards.error();
  page.rewards = std::move(*rewards);
  return std::optional<PromoterPage>{std::move(page)};
}

Status SqlReports::EachResponse(Id shop, const ResponseFilter& filter, Id after_survey, int limit,
                                const std::function<void(const ResponseRow&)>& row) {
  std::string sql = fmt::format(
      "SELECT s.id, o.external_id, c.external_id, c.email, c.first_name, c.last_name, s.score, "
      "s.comment, s.answer_state, s.answered_at, s.segment, {} FROM surveys s "
      "JOIN orders o ON o.id = s.order_id JOIN customers c ON c.id = s.customer_id "
      "LEFT JOIN followups f ON f.survey_id = s.id "
      // Keyset on (shop_id, id) (index surveys_shop_id): each page is a short range scan. The
      // unary plus keeps SQLite from taking the answered_at index instead, which would read and
      // sort the whole range for every page; an `OR` around the key would do the same.
      "WHERE s.shop_id = ?1 AND +s.answered_at >= ?2 AND +s.answered_at < ?3 AND s.score >= ?4 "
      "AND s.score <= ?5 AND s.answer_state IN ('counted', 'confirmed', 'suspect') AND s.id < ?6",
      "f.survey_id, f.shop_id, f.owner, f.note, f.status, f.created_at, f.updated_at, f.resolved_at");
  const int64_t below = after_survey > 0 ? after_survey : std::numeric_limits<int64_t>::max();
  std::vector<Value> params{
      shop, Ms(filter.from), Ms(filter.to), int64_t{filter.min_score}, int64_t{filter.max_score}, below};
  if (!filter.text.empty()) {
    // LOWER on both sides: the same folding whatever each database's LIKE does with case.
    params.emplace_back(ContainsPattern(filter.text));
    sql += fmt::format(" AND LOWER(s.comment) LIKE LOWER(?{}) ESCAPE '\\'", params.size());
  }
  if (filter.segment) {
    params.emplace_back(*filter.segment);
    sql += fmt::format(" AND s.segment = ?{}", params.size());
  }
  if (filter.audience)
    sql += " AND " + AudienceCondition(filter.audience->audience, filter.audience->shop_locale, params);
  if (filter.followup) {
    params.emplace_back(std::string(FollowupStatusName(*filter.followup)));
    sql += fmt::format(" AND s.score <= 6 AND COALESCE(f.status, 'open') = ?{}", params.size());
  }
  params.emplace_back(int64_t{limit});
  sql += fmt::format(" ORDER BY s.id DESC LIMIT ?{}", params.size());
  ResponseRow x;
  return c_.QueryEach(sql, params, [&](const Row& r) {
    x.survey_id = Int(r, 0);
    x.order_external_id = Text(r, 1);
    x.customer_external_id = Text(r, 2);
    x.email = Text(r, 3);
    x.first_name = Text(r, 4);
    x.last_name = Text(r, 5);
    x.score = static_cast<int>(Int(r, 6));
    x.comment = Text(r, 7);
    x.state = ParseAnswerState(Text(r, 8));
    x.answered_at = Time(r, 9);
    x.segment = Text(r, 10);
    x.followup.reset();
    if (OptInt(r, 11)) x.followup = FollowupFrom(r, 11);
    row(x);
  });
}

}  // namespace vouch::store::sql
