#include "store/sql/sql_audiences.h"

#include <fmt/format.h>

#include <map>

namespace vouch::store::sql {
namespace {

constexpr const char* kAudienceCols =
    "id, shop_id, name, categories, min_order_minor, max_order_minor, locales, repeat_buyer, gate, "
    "offer_kind, offer_value, offer_reward_minor, created_at";
constexpr int64_t kDayMs = 86'400'000;

Audience AudienceFrom(const Row& r) {
  Audience a;
  a.id = Int(r, 0);
  a.shop_id = Int(r, 1);
  a.name = Text(r, 2);
  a.categories = SplitLines(Text(r, 3));
  a.min_order_minor = OptInt(r, 4);
  a.max_order_minor = OptInt(r, 5);
  a.locales = SplitLines(Text(r, 6));
  a.repeat_buyer = Text(r, 7);
  a.gate = Int(r, 8) != 0;
  if (auto kind = OptText(r, 9)) a.offer = AudienceOffer{*kind, Int(r, 10), Int(r, 11)};
  a.created_at = Time(r, 12);
  return a;
}

std::string Next(std::vector<Value>& params, Value v) {
  params.push_back(std::move(v));
  return fmt::format("?{}", params.size());
}

std::string InList(const std::vector<std::string>& values, std::vector<Value>& params) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += ", ";
    out += Next(params, v);
  }
  return out;
}

}  // namespace

std::string AudienceCondition(const Audience& a, const std::string& shop_locale, std::vector<Value>& params) {
  std::string sql = "1 = 1";
  if (!a.categories.empty()) sql += " AND s.segment IN (" + InList(a.categories, params) + ")";
  if (a.min_order_minor) sql += " AND o.total_minor >= " + Next(params, *a.min_order_minor);
  if (a.max_order_minor) sql += " AND o.total_minor <= " + Next(params, *a.max_order_minor);
  if (!a.locales.empty()) {  // "de" also takes "de-AT"; "de-AT" only itself
    const std::string locale = "COALESCE(NULLIF(c.locale, ''), " + Next(params, shop_locale) + ")";
    std::string any;
    for (const auto& l : a.locales) {
      if (!any.empty()) any += " OR ";
      any += locale + " = " + Next(params, l);
      if (l.find('-') == std::string::npos) any += " OR " + locale + " LIKE " + Next(params, l + "-%");
    }
    sql += " AND (" + any + ")";
  }
  if (a.repeat_buyer != "any") {
    sql += std::string(a.repeat_buyer == "yes" ? " AND EXISTS" : " AND NOT EXISTS") +
           " (SELECT 1 FROM orders p WHERE p.shop_id = o.shop_id AND p.customer_id = o.customer_id "
           "AND p.created_at < o.created_at AND p.cancelled_at IS NULL)";
  }
  return sql;
}

Result<std::vector<Audience>> SqlAudiences::List(Id shop) {
  return Many<Audience>(c_,
                        std::string("SELECT ") + kAudienceCols +
                            " FROM audiences WHERE shop_id = ?1 AND deleted_at IS NULL ORDER BY id",
                        {shop}, AudienceFrom);
}

Result<std::optional<Audience>> SqlAudiences::Find(Id shop, Id audience) {
  return One<Audience>(c_,
                       std::string("SELECT ") + kAudienceCols +
                           " FROM audiences WHERE shop_id = ?1 AND id = ?2 AND deleted_at IS NULL",
                       {shop, audience}, AudienceFrom);
}

Result<bool> SqlAudiences::Contains(const Audience& audience, Id survey, const std::string& shop_locale) {
  std::vector<Value> params{audience.shop_id, survey};
  const std::string cond = AudienceCondition(audience, shop_locale, params);
  auto n = Count(c_,
                 "SELECT COUNT(*) FROM surveys s JOIN orders o ON o.id = s.order_id "
                 "JOIN customers c ON c.id = s.customer_id WHERE s.shop_id = ?1 AND s.id = ?2 AND " +
                     cond,
                 params);
  if (!n) return n.error();
  return *n > 0;
}

Result<std::vector<DayCounts>> SqlAudiences::AnswersByDay(const AudienceCut& cut, int64_t from_day,
                                                          int64_t to_day,
                                                          const std::optional<std::string>& segment) {
  std::vector<Value> params{cut.audience.shop_id, from_day * kDayMs, to_day * kDayMs};
  std::string cond = AudienceCondition(cut.audience, cut.shop_locale, params);
  if (segment) cond += " AND s.segment = " + Next(params, *segment);
  std::map<int64_t, DayCounts> days;
  VOUCH_TRY(c_.QueryEach(
      "SELECT s.answered_at, s.score FROM surveys s JOIN orders o ON o.id = s.order_id "
      "JOIN customers c ON c.id = s.customer_id WHERE s.shop_id = ?1 AND s.answered_at >= ?2 "
      "AND s.answered_at < ?3 AND s.score IS NOT NULL AND s.answer_state IN ('counted', 'confirmed') AND " +
          cond,
      params, [&](const Row& r) {
        const int64_t ms = Int(r, 0);
        const int64_t day = ms >= 0 ? ms / kDayMs : (ms - kDayMs + 1) / kDayMs;
        const int64_t score = Int(r, 1);
        if (score < 0 || score > 10) return;
        DayCounts& d = days[day];
        d.day = day;
        d.counts.by_score[static_cast<size_t>(score)] += 1;
      }));
  std::vector<DayCounts> out;
  out.reserve(days.size());
  for (auto& [day, counts] : days) out.push_back(std::move(counts));
  return out;
}

Status SqlAudiences::EachPromoter(const AudienceCut& cut, const std::function<void(Id customer)>& fn) {
  std::vector<Value> params{cut.audience.shop_id};
  const std::string cond = AudienceCondition(cut.audience, cut.shop_locale, params);
  return c_.QueryEach(
      "SELECT rc.promoter_id FROM referral_codes rc JOIN surveys s ON s.id = rc.survey_id "
      "JOIN orders o ON o.id = s.order_id JOIN customers c ON c.id = s.customer_id "
      "WHERE rc.shop_id = ?1 AND " +
          cond,
      params, [&fn](const Row& r) { fn(Int(r, 0)); });
}

Result<Id> SqlAudiences::Insert(const Audience& a) {
  return InsertReturningId(
      c_,
      "INSERT INTO audiences (shop_id, name, categories, min_order_minor, max_order_minor, locales, "
      "repeat_buyer, gate, offer_kind, offer_value, offer_reward_minor, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
      {a.shop_id, a.name, JoinLines(a.categories), Opt(a.min_order_minor), Opt(a.max_order_minor),
       JoinLines(a.locales), a.repeat_buyer, int64_t{a.gate ? 1 : 0},
       a.offer ? Value{a.offer->discount_kind} : Null(), a.offer ? Value{a.offer->discount_value} : Null(),
       a.offer ? Value{a.offer->reward_minor} : Null(), Ms(a.created_at)});
}

Result<int64_t> SqlAudiences::Delete(Id shop, Id audience, Instant at) {
  return c_.Exec("UPDATE audiences SET deleted_at = ?3 WHERE shop_id = ?1 AND id = ?2 AND deleted_at IS NULL",
                 {shop, audience, Ms(at)});
}

Status SqlAudiences::AssignOffer(Id shop, Id customer, Id audience, Id code, Instant at) {
  return Exec(c_,
              "INSERT INTO audience_offers (shop_id, customer_id, audience_id, code_id, assigned_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
              {shop, customer, audience, code, Ms(at)});
}

}  // namespace vouch::store::sql
